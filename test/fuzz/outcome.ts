import { ModelportError, PluginError } from '@modelport/core';

/**
 * What one fuzz case came to. `clear` is one deliberate error a user can act on; `defect` is
 * anything else that ended the case: an internal JavaScript message, an error that is not a
 * ModelportError, a 5xx or non-JSON reply, a file outside the out folder, a partial version.
 */
export type Outcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'clear'; readonly message: string }
  | { readonly kind: 'defect'; readonly message: string; /** Where the innermost error came from (shown by --replay). */ readonly stack?: string }
  | { readonly kind: 'hang'; readonly message: string }
  | { readonly kind: 'crash'; readonly message: string };

/** Messages of the JavaScript engine and of libraries' internals: never what a user should read. */
const INTERNAL_MESSAGES: readonly RegExp[] = [
  /Cannot read propert/i, /Cannot set propert/i, /Cannot convert/i, /is not iterable/i, /is not a function/i,
  /is not defined/i, /\bundefined\b/, /\bnull\b.*\b(object|propert)/i, /out of bounds/i, /out of range/i,
  /Maximum call stack/i, /Invalid array length/i, /Invalid typed array length/i, /Array buffer allocation failed/i,
  /\bNaN\b/, /\[object Object\]/, /Unexpected token/i, /invalid wire type/i, /illegal (tag|buffer)/i,
  /offset is outside the bounds/i, /Offset is outside/i, /must be non-negative/i, /Invalid string length/i,
];

export const internalMessage = (message: string): RegExp | undefined => INTERNAL_MESSAGES.find((re) => re.test(message));

/** The innermost cause of an error chain. */
function rootCause(e: unknown): unknown {
  let inner = e;
  for (let depth = 0; depth < 10 && inner instanceof Error && inner.cause !== undefined; depth++) inner = inner.cause;
  return inner;
}

/** Digits, quoted names and paths replaced, so that one defect class is one group however the case varied. */
export function messageClass(message: string): string {
  return message
    .replace(/\/[^\s"':,)]+/g, '<path>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, 'N')
    .slice(0, 160);
}

/** An error thrown by a case: clear when it is a ModelportError whose message and cause speak to a user. */
export function classifyError(e: unknown): Outcome {
  const outcome = classifyMessage(e);
  const cause = rootCause(e);
  return outcome.kind === 'defect' && cause instanceof Error ? { ...outcome, stack: cause.stack } : outcome;
}

function classifyMessage(e: unknown): Outcome {
  const message = e instanceof Error ? e.message : String(e);
  if (!(e instanceof ModelportError)) return { kind: 'defect', message: `${e instanceof Error ? e.constructor.name : typeof e}: ${message}` };
  const internal = internalMessage(message);
  if (internal) return { kind: 'defect', message: `${e.constructor.name} with an internal message: ${message}` };
  // Core wraps what a plugin lets escape in a PluginError: around anything but a ModelportError, that is
  // an error the plugin did not mean to throw, however its message reads.
  if (e instanceof PluginError && !(e.cause instanceof ModelportError)) {
    const cause = e.cause instanceof Error ? e.cause.constructor.name : typeof e.cause;
    return { kind: 'defect', message: `PluginError around a ${cause}: ${message}` };
  }
  return { kind: 'clear', message };
}
