import type { FrozenInput } from '@modelport/core';

/** The name of the Metadata entry where modelport describes what it exported. */
export const MODELPORT_METADATA = 'modelport';

/** One signature tensor as the source declared it and as the file holds it. */
export interface SignatureTensorMetadata {
  /** The source's dtype (int64, bool …). */
  readonly dtype: string;
  /** The dtype in the file: float32, int32 or uint8. */
  readonly tfliteDtype: string;
  /** The source's shape, -1 for the dynamic batch. */
  readonly shape: readonly number[];
  /** An output sized by the data (after Where or NMS): the file holds the size the export saw, another fails at run time. */
  readonly sizedAtRunTime?: boolean;
}

/** JSON kept in the "modelport" metadata buffer: producer, source and the signatures' source types. */
export interface ModelportTfliteMetadata {
  readonly producer?: string;
  readonly source?: unknown;
  readonly user?: unknown;
  readonly signatures: Readonly<Record<string, {
    readonly inputs: Readonly<Record<string, SignatureTensorMetadata>>;
    readonly outputs: Readonly<Record<string, SignatureTensorMetadata>>;
    /** Inputs of the source replaced by constants at export (--input-value), with their values. */
    readonly frozenInputs?: Readonly<Record<string, FrozenInput>>;
    /** The stages export modules composed it of ("image", "model", "detection"). */
    readonly stages?: readonly string[];
    /** What those modules left for callers (labels …), by module name. */
    readonly moduleMetadata?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  }>>;
}
