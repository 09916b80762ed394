import path from 'node:path';

/** Whether a name asks for a plugin or a preset: they normalise differently. */
export type NameKind = 'plugin' | 'preset';

const SCOPE = '@modelport/';
const PLUGIN_PREFIXES = ['exporter-', 'importer-', 'quantizer-', 'pass-', 'runtime-', 'adapter-', 'serving-', 'module-'];

/**
 * The package names a configured name may stand for, most specific first (Babel style):
 * `@acme/x` and `modelport-plugin-x` are taken as written; `exporter-tfjs` → `@modelport/exporter-tfjs`;
 * `onnx` → `@modelport/onnx`, then `@modelport/<type>-onnx` for each plugin type, then
 * `modelport-plugin-onnx`;
 * preset `default` → `@modelport/preset-default`, then `modelport-preset-default`.
 */
export function nameCandidates(name: string, kind: NameKind): string[] {
  if (isFullName(name)) return [name];
  if (kind === 'preset') {
    const bare = name.replace(/^preset-/, '');
    return [`${SCOPE}preset-${bare}`, `modelport-preset-${bare}`];
  }
  const typed = PLUGIN_PREFIXES.some((p) => name.startsWith(p));
  return [`${SCOPE}${name}`, ...(typed ? [] : PLUGIN_PREFIXES.map((p) => `${SCOPE}${p}${name}`)), `modelport-plugin-${name}`];
}

/** Scoped names and the unscoped community prefixes are package names already. */
export function isFullName(name: string): boolean {
  return name.startsWith('@') || name.startsWith('modelport-plugin-') || name.startsWith('modelport-preset-');
}

/** The part of a package name people type: `@modelport/exporter-tfjs` → `exporter-tfjs`. */
export function shortName(name: string): string {
  if (name.startsWith(SCOPE)) return name.slice(SCOPE.length);
  return name.replace(/^modelport-(plugin|preset)-/, '');
}

/** Installed names that look like what was typed: small edit distance or one containing the other. */
export function closeNames(wanted: string, installed: readonly string[], limit = 5): string[] {
  const typed = shortName(wanted).toLowerCase();
  const scored = installed.map((name) => {
    const short = shortName(name).toLowerCase();
    const distance = Math.min(editDistance(typed, short), editDistance(typed, short.replace(/^[a-z]+-/, '')));
    const contains = short.includes(typed) || typed.includes(short);
    return { name, score: contains ? Math.min(distance, 1) : distance };
  });
  const threshold = Math.max(2, Math.floor(typed.length / 3));
  return scored.filter((s) => s.score <= threshold).sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit).map((s) => s.name);
}

/** The key among `keys` that `typed` most likely misspells (a small edit distance), if any. */
export function closestKey(typed: string, keys: readonly string[]): string | undefined {
  const threshold = Math.max(2, Math.floor(typed.length / 3));
  const scored = keys.map((key) => ({ key, distance: typed.toLowerCase() === key.toLowerCase() ? 0 : editDistance(typed, key) }))
    .filter((s) => s.distance <= threshold).sort((a, b) => a.distance - b.distance || a.key.localeCompare(b.key));
  return scored[0]?.key;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** `./x`, `../x`, `.`, `..` and absolute paths name a package folder; anything else is a package name. */
export function isPackagePath(name: string): boolean {
  return /^\.\.?([\\/]|$)/.test(name) || path.isAbsolute(name) || path.win32.isAbsolute(name);
}

// npm's rule for names (validate-npm-package-name), upper case allowed for old packages: no segment
// starts with a dot, so a name can never climb out of node_modules.
const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/i;

/** Whether `name` is something node_modules can hold: `name` or `@scope/name`. */
export function isPackageName(name: string): boolean {
  return PACKAGE_NAME.test(name);
}
