import { ConfigError, CORE_VERSION } from '@modelport/core';
import { findByPath, notANameError, type NamedAt } from './by-path.js';
import { findPackageJson, type DiscoveredPlugin } from './discover.js';
import { describeSearchPath, type SearchPath } from './search-path.js';
import { closeNames, isFullName, isPackageName, isPackagePath, nameCandidates, type NameKind } from './names.js';

export type { NamedAt };

/**
 * The package a configured name or path stands for, checked to be usable as `kind`: a path names a
 * package folder (relative to `at.base`), a name an installed package. Errors say what was looked
 * for and where, the close installed names, and why a found package cannot be used.
 */
export async function findInstalled(name: string, kind: NameKind, installed: readonly DiscoveredPlugin[], search: SearchPath, at: NamedAt, coreVersion = CORE_VERSION): Promise<DiscoveredPlugin> {
  const pkg = isPackagePath(name) ? await findByPath(name, kind, at, coreVersion) : pickValid(name, kind, installed, at);
  if (!pkg) throw await notInstalled(name, kind, installed, search, at);
  const isPreset = pkg.manifest?.type === 'preset';
  if (pkg.manifest && kind === 'plugin' && isPreset) {
    throw new ConfigError(`${pkg.name} is a preset; list it under "presets" (named in ${at.label})`, { plugin: pkg.name, ...fileOf(at) });
  }
  if (pkg.manifest && kind === 'preset' && !isPreset) {
    throw new ConfigError(`${pkg.name} is a ${pkg.manifest.type} plugin, not a preset; list it under "plugins" (named in ${at.label})`, { plugin: pkg.name, ...fileOf(at) });
  }
  if (!pkg.compatible) {
    const fix = pkg.manifest ? '' : '; its author must fix the package.json, or stop naming the package';
    throw new ConfigError(`${pkg.reason ?? 'cannot be used'} (named in ${at.label})${fix}`, { plugin: pkg.name, file: pkg.packageJson });
  }
  return pkg;
}

function pickValid(name: string, kind: NameKind, installed: readonly DiscoveredPlugin[], at: NamedAt): DiscoveredPlugin | undefined {
  if (!isPackageName(name)) throw notANameError(name, kind, at);
  return pick(name, kind, installed, at);
}

function pick(name: string, kind: NameKind, installed: readonly DiscoveredPlugin[], at: NamedAt): DiscoveredPlugin | undefined {
  const byName = new Map(installed.map((p) => [p.name, p]));
  const [first, ...rest] = nameCandidates(name, kind).map((c) => byName.get(c));
  if (first || kind === 'preset' || isFullName(name)) return first ?? rest.find(Boolean);
  // "onnx" may be an exporter and a runtime at once: guessing would be wrong half the time.
  const matches = rest.filter((p): p is DiscoveredPlugin => p !== undefined);
  if (matches.length > 1) {
    throw new ConfigError(`"${name}" (named in ${at.label}) could be ${matches.map((m) => m.name).join(' or ')}; write the full name`, fileOf(at));
  }
  return matches[0];
}

async function notInstalled(name: string, kind: NameKind, installed: readonly DiscoveredPlugin[], search: SearchPath, at: NamedAt): Promise<ConfigError> {
  const candidates = nameCandidates(name, kind);
  for (const candidate of candidates) {
    const file = await findPackageJson(search, candidate);
    if (file) return new ConfigError(`${candidate} is installed but its package.json has no "modelport" field, so it is not a modelport ${kind} (named in ${at.label})`, { plugin: candidate, file });
  }
  const sameKind = installed.filter((p) => (p.manifest?.type === 'preset') === (kind === 'preset')).map((p) => p.name);
  const close = closeNames(name, sameKind);
  const hint = close.length ? ` Did you mean ${close.join(' or ')}?` : sameKind.length ? ` Installed ${kind}s: ${sameKind.join(', ')}.` : '';
  const install = candidates.length <= 2 ? `install it with \`npm install ${candidates[0]}\`` : 'install it';
  return new ConfigError(
    `no ${kind} "${name}" is installed (named in ${at.label}; looked for ${candidates.join(', ')} in ${describeSearchPath(search)}).${hint} Fix the name or ${install}.`,
    fileOf(at),
  );
}

function fileOf(at: NamedAt): { file?: string } {
  return at.file ? { file: at.file } : {};
}
