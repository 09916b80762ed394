import { describeFsError, isErrnoError } from './fs-errors.js';

/** Where a problem is: every field that applies is set, and the message names them. */
export interface ErrorLocation {
  readonly plugin?: string;
  readonly hook?: string;
  readonly node?: string;
  readonly op?: string;
  readonly file?: string;
}

function describeLocation(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.plugin) parts.push(`[plugin ${loc.plugin}]`);
  if (loc.hook) parts.push(`${loc.hook}:`);
  if (loc.file) parts.push(`file "${loc.file}":`);
  if (loc.node) parts.push(`node "${loc.node}"${loc.op ? ` (${loc.op})` : ''}:`);
  else if (loc.op) parts.push(`op ${loc.op}:`);
  return parts.join(' ');
}

/** Base of every error modelport throws on purpose: a message a user can act on, plus structured fields. */
export class ModelportError extends Error {
  readonly plugin?: string;
  readonly hook?: string;
  readonly node?: string;
  readonly op?: string;
  readonly file?: string;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(detail: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    const where = describeLocation(location);
    super(where ? `${where} ${detail}` : detail, options);
    this.name = new.target.name;
    this.detail = detail;
    Object.assign(this, location);
  }
}

/** The graph is malformed: dangling reference, cycle, missing attribute, bad constant. */
export class GraphError extends ModelportError {}

/** A model file could not be read: missing, garbled, weights cut short. */
export class ModelLoadError extends ModelportError {}

/** Options or configuration failed validation; the message names the key and why. */
export class OptionsError extends ModelportError {}

/** A plugin could not be found, loaded or composed (registry, presets, conflicts). */
export class ConfigError extends ModelportError {}

/** The graph uses ops a target cannot express; lists every one of them. */
export class UnsupportedOpsError extends ModelportError {
  readonly unsupported: readonly { node: string; op: string }[];
  constructor(target: string, unsupported: readonly { node: string; op: string }[], location: ErrorLocation = {}) {
    const list = unsupported.map((u) => `"${u.node}" (${u.op})`).join(', ');
    super(`${unsupported.length} node(s) use ops that ${target} cannot express: ${list}`, location);
    this.unsupported = unsupported;
  }
}

/** A request's tensors or data are wrong (shape, dtype, not an image): servers answer 400. */
export class InvalidInputError extends ModelportError {}

/**
 * A runtime cannot run an artifact its format allows (LiteRT.js and int8 model inputs): serving
 * refuses it; validation notes that it could not run it instead of failing the export.
 */
export class RuntimeLimitError extends ModelportError {}

/** Validation of an exported artifact against its source failed. */
export class ValidationError extends ModelportError {}

/** Thrown in a tap: wraps the cause with the plugin and the hook it ran in. */
export class PluginError extends ModelportError {
  constructor(plugin: string, hook: string, cause: unknown, where?: { readonly node?: string; readonly op?: string }) {
    const inner = cause instanceof ModelportError ? cause : undefined;
    const detail = inner ? describeInner(inner) : isErrnoError(cause) ? describeFsError(cause) : isInternal(cause) ? describeInternal(cause) : cause instanceof Error ? cause.message : String(cause);
    super(detail, { plugin, hook, node: inner?.node ?? where?.node, op: inner?.op ?? where?.op, file: inner?.file }, { cause });
  }
}

/**
 * A JavaScript engine error (a TypeError, RangeError, a WebAssembly trap) is a defect in the plugin
 * or input it did not check, not a message for the user: it is labelled as such, not passed off as one.
 */
export function isInternal(e: unknown): e is Error {
  if (e instanceof ModelportError || !(e instanceof Error)) return false;
  return e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError
    || e.constructor?.name === 'RuntimeError' || /memory access out of bounds|is not iterable|Cannot read properties of/.test(e.message);
}

function describeInternal(e: Error): string {
  const short = e.message.split('\n')[0]!.slice(0, 200);
  return `internal error (${e.name}: ${short}), likely a value in the input that this plugin does not check; run with --verbose for the stack`;
}

// The inner error's location minus what the wrapper states again.
function describeInner(e: ModelportError): string {
  return e.plugin || e.hook ? e.message : e.detail;
}

/** The one line a CLI prints for any error. */
export function formatError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * What an exporter returned from writeArtifact does not describe what it wrote: no record, a
 * malformed one, or files it lists that are not in the version folder. Nothing is published.
 */
export class ArtifactRecordError extends ModelportError {
  readonly target: string;
  constructor(detail: string, where: { readonly plugin?: string; readonly target: string; readonly file?: string }) {
    super(detail, { plugin: where.plugin, hook: `writeArtifact[${where.target}]`, file: where.file });
    this.target = where.target;
  }
}

/**
 * An engine error (isInternal) raised while a plugin processed one node, as an error naming that
 * node: a loop over nodes wraps each step with it so that the message says where it happened.
 */
export function internalErrorAt(e: Error, where: { readonly node: string; readonly op?: string }): GraphError {
  return new GraphError(describeInternal(e), where, { cause: e });
}
