import { createRequire } from 'node:module';

/** The version of @modelport/core, read from its package.json; plugins' `core` ranges are checked against it. */
export const CORE_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
