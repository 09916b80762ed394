import { ServingError } from '../errors.js';
import { checkLabel, checkModelName, parseVersion } from '../model-names.js';

export type TfServingAction = 'status' | 'metadata' | 'predict' | 'classify' | 'regress';

/** What a `/v1/models/…` path names. */
export interface TfServingTarget {
  readonly model: string;
  readonly version?: number;
  readonly label?: string;
  readonly action: TfServingAction;
}

const VERBS = new Set(['predict', 'classify', 'regress']);

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ServingError('INVALID_ARGUMENT', `malformed percent-encoding in ${JSON.stringify(segment.slice(0, 100))}`);
  }
}

/**
 * Parses `/v1/models/{name}[/versions/{v} | /labels/{l}][/metadata | :predict | :classify | :regress]`
 * from the raw URL. Each segment is decoded on its own, so an encoded "/" or ".." stays inside one
 * segment and fails the name check; nothing from the path ever reaches the file system.
 */
export function parseTfServingPath(url: string): TfServingTarget {
  const pathname = url.split('?')[0]!;
  const rest = pathname.replace(/^\/v1\/models\//, '');
  let segments = rest.split('/');
  let action: TfServingAction = 'status';
  const last = segments[segments.length - 1]!;
  const colon = last.lastIndexOf(':');
  if (colon >= 0) {
    const verb = last.slice(colon + 1);
    if (!VERBS.has(verb)) throw new ServingError('INVALID_ARGUMENT', `Malformed request: unknown method ":${verb.slice(0, 40)}"; use :predict`);
    action = verb as TfServingAction;
    segments = [...segments.slice(0, -1), last.slice(0, colon)];
  } else if (last === 'metadata' && segments.length > 1) {
    action = 'metadata';
    segments = segments.slice(0, -1);
  }
  if (segments.length && segments[segments.length - 1] === '') segments = segments.slice(0, -1); // trailing slash
  const [name, kind, value, ...extra] = segments.map(decode);
  const model = checkModelName(name ?? '');
  if (kind === undefined) return { model, action };
  if (value === undefined || extra.length || (kind !== 'versions' && kind !== 'labels')) {
    throw new ServingError('INVALID_ARGUMENT', `Malformed request: ${pathname.slice(0, 200)}; expected /v1/models/{name}[/versions/{version} | /labels/{label}][/metadata | :predict]`);
  }
  return kind === 'versions' ? { model, version: parseVersion(value), action } : { model, label: checkLabel(value), action };
}
