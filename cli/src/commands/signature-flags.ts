import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError, OptionsError, type ExportOptions } from '@modelport/core';
import type { OptionSources } from '@modelport/registry';

/** The command-line flags that build signatures from export modules, as commander parses them. */
export interface SignatureFlags {
  signature?: string[];
  moduleOptions?: string;
  sourceSignature?: string;
}

function collectRaw(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function addSignatureFlags(command: Command): Command {
  return command
    .option('--signature <key=modules>', 'a signature built from export modules: KEY=MODULE[,MODULE…], input modules first, e.g. serving_default=image,detection (repeatable)', collectRaw)
    .option('--module-options <file>', 'JSON object of export module options: one key per module, or "<signature>/<module>" for one signature')
    .option('--source-signature <key>', 'the key the model\'s own signature is kept under, or "none" to drop it');
}

const FORM = 'write KEY=MODULE[,MODULE…], e.g. serving_default=image,detection';

/** Each --signature value → signature key → module names; a key given twice is refused, naming both flags. */
export function parseSignatureFlags(values: readonly string[]): Record<string, string[]> {
  const signatures: Record<string, string[]> = {};
  const flagOf: Record<string, string> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    if (at < 0) throw new OptionsError(`--signature "${value}": no "="; ${FORM}`);
    const key = value.slice(0, at).trim();
    const modules = value.slice(at + 1).split(',').map((m) => m.trim());
    if (!key) throw new OptionsError(`--signature "${value}": no signature key before "="; ${FORM}`);
    if (modules.some((m) => !m)) throw new OptionsError(`--signature "${value}": an empty module name; ${FORM}`);
    if (flagOf[key] !== undefined) {
      throw new OptionsError(`signature "${key}" is given twice: --signature ${flagOf[key]} and --signature ${value}; give each signature once (nothing was written)`);
    }
    flagOf[key] = value;
    signatures[key] = modules;
  }
  return signatures;
}

/** --module-options FILE: a JSON object whose values are objects; any other content is an error naming the file. */
export async function readModuleOptions(file: string): Promise<Record<string, unknown>> {
  const absolute = path.resolve(file);
  const where = `--module-options ${file}`;
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (e) {
    throw new ConfigError(`${where}: cannot read the file: ${(e as Error).message}`, { file: absolute }, { cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${where}: not valid JSON: ${(e as Error).message}`, { file: absolute }, { cause: e });
  }
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(value)) throw new ConfigError(`${where}: must be a JSON object, one key per module or "<signature>/<module>"`, { file: absolute });
  for (const [key, options] of Object.entries(value as Record<string, unknown>)) {
    if (!isObject(options)) throw new ConfigError(`${where}: "${key}" must be an object of that module's options`, { file: absolute });
  }
  return value as Record<string, unknown>;
}

/** The export options the signature flags set, and where moduleOptions came from. */
export interface SignatureOptions {
  /** Options the flags set. */
  readonly options: Partial<ExportOptions>;
  /** The file moduleOptions were read from (--module-options, or the config or preset that set them). */
  readonly moduleOptionsFile?: string;
  /** request.origins.moduleOptions: "--module-options options.json", "modelport.config.json", "preset …". */
  readonly moduleOptionsOrigin?: string;
}

/**
 * Flags over the config's export defaults: --signature keys replace the config's signature of the
 * same key (others stay); --module-options replaces the config's moduleOptions as a whole, since
 * files named inside resolve beside the one file they came from.
 */
export async function signatureOptions(flags: SignatureFlags, defaults: Partial<ExportOptions>, sources: OptionSources): Promise<SignatureOptions> {
  const out: Record<string, unknown> = {};
  if (flags.signature?.length) out.signatures = { ...defaults.signatures, ...parseSignatureFlags(flags.signature) };
  if (flags.sourceSignature !== undefined) {
    const key = flags.sourceSignature.trim();
    if (!key) throw new OptionsError('--source-signature "": give a signature key, or "none" to drop the model\'s own signature');
    out.sourceSignature = key === 'none' ? false : key;
    // Without module signatures the model's signature is written as it is: the flag would do nothing.
    if (!out.signatures && !defaults.signatures) throw new OptionsError(`--source-signature ${key}: only applies with module signatures; add --signature KEY=MODULE[,MODULE…] (or export.signatures in modelport.config.json)`);
  }
  if (flags.moduleOptions !== undefined) {
    out.moduleOptions = await readModuleOptions(flags.moduleOptions);
    return { options: out as Partial<ExportOptions>, moduleOptionsFile: path.resolve(flags.moduleOptions), moduleOptionsOrigin: `--module-options ${flags.moduleOptions}` };
  }
  const source = sources.moduleOptions;
  if (defaults.moduleOptions && !defaults.moduleOptionsFile && (source?.kind === 'config' || source?.kind === 'preset') && source.file) {
    // Set in modelport.config.json (or a preset): files it names resolve beside that file.
    const origin = source.kind === 'config' ? path.basename(source.file) : `preset ${source.preset}`;
    return { options: out as Partial<ExportOptions>, moduleOptionsFile: source.file, moduleOptionsOrigin: origin };
  }
  return { options: out as Partial<ExportOptions> };
}
