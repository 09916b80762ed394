import type { HookName } from '@modelport/core';
import { describeLocation, type DiscoveredPlugin } from './discover.js';
import { KEYED_HOOK_OF_TYPE } from './manifest.js';

export interface HintSources {
  /** The installed packages (undefined until discovery ran). */
  readonly installed: readonly DiscoveredPlugin[] | undefined;
  /** Package names applied in this session. */
  readonly applied: ReadonlySet<string>;
  /** Package names the config turned off with `false`. */
  readonly disabled: readonly string[];
  /** "modelport.config.json", "the default config" */
  readonly configLabel: string;
}

/**
 * When no applied plugin provides `key` of a keyed hook: which installed packages would, by their
 * manifest, and how to enable them; undefined when none is installed.
 */
export function unselectedProviderHint(hook: HookName, key: string, sources: HintSources): string | undefined {
  const types = Object.entries(KEYED_HOOK_OF_TYPE).filter(([, h]) => h === hook).map(([type]) => type);
  const providers = (sources.installed ?? []).filter((p) => p.manifest && types.includes(p.manifest.type)
    && p.manifest.provides.includes(key) && !sources.applied.has(p.name));
  if (!providers.length) return undefined;
  return providers.map((p) => {
    const where = `installed in ${describeLocation(p)}`;
    if (!p.compatible) return `${p.name} provides it but cannot be used (${p.reason})`;
    if (sources.disabled.includes(p.name)) return `${p.name} provides it (${where}) but ${sources.configLabel} turns it off with false; remove that entry to enable it`;
    const add = sources.configLabel.endsWith('.json') ? `add it to "plugins" in ${sources.configLabel}` : 'add it to "plugins" in modelport.config.json';
    return `${p.name} provides it (${where}) but is not selected; enable it with \`--plugin ${p.name}\` or ${add}`;
  }).join('; ');
}
