import { CORE_TAP, HOOK_NAMES, KEYED_HOOKS, contributionPoints, type HookName, type Hooks, type PluginHost } from '@modelport/core';
import type { Container } from './registry.js';
import { describeHidden, describeLocation, type DiscoveredPlugin } from './discover.js';
import type { OptionSource, OptionSources } from './option-sources.js';

/** A plugin of the session and why it is there. */
export interface ExplainedPlugin {
  readonly name: string;
  readonly version: string;
  readonly reason: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** Where each option was set: default (the schema), preset, config, flag or code. */
  readonly optionSources: Readonly<Record<string, OptionSource['kind']>>;
  /** The package.json it came from; absent for plugins registered in code. */
  readonly packageJson?: string;
  /** Where the package was found: "<folder> (project)" or "<folder> (bundled with modelport)", and the copies it hides. */
  readonly location?: string;
}

/** Who answers one hook (or one key of a keyed hook) and why. */
export interface ExplainedHook {
  readonly hook: HookName;
  /** The format or target, for loadModel, writeArtifact and serve. */
  readonly key?: string;
  /** Plugins that tap it, in tap order. */
  readonly plugins: readonly string[];
  /** For an unkeyed hook: each tap's stage (tapable's; 0 unless the plugin set one), in tap order. */
  readonly stages?: readonly number[];
  /** For a key: the plugin that answers; undefined when nobody does (unsettled conflict). */
  readonly chosen?: string;
  readonly why: string;
}

export interface Explanation {
  /** In the order they were applied. */
  readonly plugins: readonly ExplainedPlugin[];
  /** Plugins a preset brought in and the config turned off. */
  readonly disabled: readonly string[];
  readonly hooks: readonly ExplainedHook[];
  /** Extension points that are lists (formats inspect describes, serving protocols…) and who contributed to each. */
  readonly contributions: readonly ExplainedContributionPoint[];
}

export interface ExplainedContributionPoint {
  readonly name: string;
  readonly description: string;
  /** The contributing plugin of each contribution, in the order they were made. */
  readonly plugins: readonly string[];
}

/** What the explanation is built from; the registry gathers it while it applies plugins. */
export interface ExplainSources {
  readonly host: PluginHost;
  readonly hooks: Hooks;
  /** Keys of the keyed hooks seen so far. */
  readonly keys: ReadonlyMap<HookName, ReadonlySet<string>>;
  /** "writeArtifact:tfjs" → "choose.writeArtifact.tfjs in modelport.config.json" */
  readonly chooseOrigins: ReadonlyMap<string, string>;
  /** Plugin name → the package it was loaded from. */
  readonly packages: ReadonlyMap<string, DiscoveredPlugin>;
  readonly disabled?: readonly string[];
  /** Where each option of an applied plugin was set. */
  readonly optionSources?: (plugin: string) => OptionSources;
  /** The session's container, where contributions are bound. */
  readonly container?: Container;
}

/** For every hook, and every key of a keyed hook, which plugin answers and why. */
export function explainSession(sources: ExplainSources): Explanation {
  const { host, hooks } = sources;
  const applied = host.plugins();
  const reasonOf = (name: string) => applied.find((p) => p.name === name)?.reason
    ?? (name === CORE_TAP ? 'built into the core: pins --input-shape and freezes --input-value before the passes' : 'tapped directly, not through the plugin host');
  const plugins = applied.map((p): ExplainedPlugin => {
    const pkg = sources.packages.get(p.name);
    const setBy = sources.optionSources?.(p.name) ?? {};
    const optionSources = Object.fromEntries(Object.keys(p.options).map((key) => [key, setBy[key]?.kind ?? 'code']));
    return { name: p.name, version: p.version, reason: p.reason, options: p.options, optionSources, ...(pkg ? { packageJson: pkg.packageJson, location: [describeLocation(pkg), describeHidden(pkg)].filter(Boolean).join('; ') } : {}) };
  });
  const explained: ExplainedHook[] = [];
  for (const hook of HOOK_NAMES) {
    if (!KEYED_HOOKS.has(hook)) {
      // tapable keeps taps sorted by stage (then by `before`): the order they run in.
      const taps = (hooks[hook] as unknown as { taps: { name: string; stage?: number }[] }).taps;
      const names = unique(taps.map((t) => t.name));
      const stages = names.map((n) => taps.find((t) => t.name === n)?.stage ?? 0);
      const why = names.length ? names.map((n, i) => `${n} [stage ${stages[i]}] (${reasonOf(n)})`).join(', then ') : 'no plugin taps it';
      explained.push({ hook, plugins: names, ...(names.length ? { stages } : {}), why });
      continue;
    }
    for (const key of [...(sources.keys.get(hook) ?? [])].sort()) {
      const names = host.providers(hook, key);
      if (names.length) explained.push(explainKey(hook, key, names, host.chosen(hook, key), sources.chooseOrigins.get(`${hook}:${key}`), reasonOf));
    }
  }
  const contributions = sources.container
    ? contributionPoints(sources.container).map(({ point, plugins: by }) => ({ name: point.name, description: point.description, plugins: by }))
    : [];
  return { plugins, disabled: sources.disabled ?? [], hooks: explained, contributions };
}

function explainKey(hook: HookName, key: string, names: string[], choice: string | undefined, origin: string | undefined, reasonOf: (name: string) => string): ExplainedHook {
  const by = origin ?? `choose.${hook}.${key} (set in code)`;
  if (choice && !names.includes(choice)) {
    return { hook, key, plugins: names, why: `nobody answers: ${by} names ${choice}, which does not provide it; providers: ${names.join(', ')}` };
  }
  if (names.length === 1) return { hook, key, plugins: names, chosen: names[0], why: reasonOf(names[0]!) };
  if (!choice) {
    return { hook, key, plugins: names, why: `unsettled: ${names.join(', ')} all provide it; add choose.${hook}.${key} to modelport.config.json` };
  }
  const others = names.filter((n) => n !== choice);
  return { hook, key, plugins: names, chosen: choice, why: `${reasonOf(choice)}; chosen by ${by} over ${others.join(', ')}` };
}

/** The explanation as lines, for `modelport plugins --explain` and logs. */
export function formatExplanation(explanation: Explanation): string[] {
  const lines = ['plugins, in the order applied:'];
  for (const p of explanation.plugins) {
    lines.push(`  ${p.name} ${p.version}: ${p.reason}`);
    if (p.location) lines.push(`    found in ${p.location}`);
    const options = Object.entries(p.options).map(([key, value]) => `${key}=${JSON.stringify(value)} (${p.optionSources[key] ?? 'code'})`);
    if (options.length) lines.push(`    options: ${options.join(', ')}`);
  }
  if (explanation.disabled.length) lines.push(`disabled by the config: ${explanation.disabled.join(', ')}`);
  lines.push('hooks (taps run in stage order, lowest first):');
  for (const h of explanation.hooks) {
    const label = h.key === undefined ? h.hook : `${h.hook}[${h.key}]`;
    lines.push(h.key === undefined ? `  ${label}: ${h.why}` : `  ${label}: ${h.chosen ?? h.plugins.join(' | ')} — ${h.why}`);
  }
  if (explanation.contributions.length) lines.push('contribution points:');
  for (const c of explanation.contributions) lines.push(`  ${c.name} (${c.description}): ${c.plugins.join(', ')}`);
  return lines;
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}
