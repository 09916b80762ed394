import { ConfigError, type HookName, type PluginHost } from '@modelport/core';
import type { ChoosableHook } from './config.js';
import { KEYED_HOOK_OF_TYPE } from './manifest.js';
import type { ChooseEntry, PlanInput, PlannedPlugin } from './plan.js';
import { describeReason } from './reasons.js';

/** Several plugins provide one key of a keyed hook and `choose` does not settle it. */
export interface ProviderConflict {
  readonly hook: ChoosableHook;
  readonly key: string;
  readonly providers: readonly { readonly name: string; readonly reason: string }[];
}

/** What a key of each keyed hook is called in messages (as core's assertSingleProvider says it). */
export const KEY_NOUN: Readonly<Record<ChoosableHook, string>> = Object.freeze({
  loadModel: 'source format',
  writeArtifact: 'target',
  serve: 'artifact format',
});

/** One error for every conflict, with the `choose` snippet that settles them all. */
export function conflictError(conflicts: readonly ProviderConflict[], configLabel: string, file?: string): ConfigError {
  const lines = conflicts.map((c) => `${c.providers.length} plugins provide ${KEY_NOUN[c.hook]} "${c.key}" (${c.hook}): ${c.providers.map((p) => `${p.name} (${p.reason})`).join(', ')}`);
  const choose: Record<string, Record<string, string>> = {};
  for (const c of conflicts) (choose[c.hook] ??= {})[c.key] = c.providers[0]!.name;
  const snippet = JSON.stringify({ choose }).replace(/([{:,])/g, '$1 ').replace(/}/g, ' }');
  return new ConfigError(
    `${lines.join('; ')}; choose the one to use in ${configLabel}: ${snippet} (or another plugin of the list)`,
    { hook: conflicts[0]!.hook, ...(file ? { file } : {}) },
  );
}

/** Conflicts the manifests already show (type + provides), before any code is imported. */
export function manifestConflicts(plugins: readonly PlannedPlugin[], choose: readonly ChooseEntry[], applied: PlanInput['appliedProviders']): ProviderConflict[] {
  const claims = new Map<string, { hook: ChoosableHook; key: string; providers: { name: string; reason: string }[] }>();
  for (const p of plugins) {
    const hook = p.package.manifest && KEYED_HOOK_OF_TYPE[p.package.manifest.type];
    if (!hook) continue;
    for (const key of p.package.manifest!.provides) {
      const id = `${hook}:${key}`;
      if (!claims.has(id)) claims.set(id, { hook: hook as ChoosableHook, key, providers: [...(applied?.(hook as ChoosableHook, key) ?? [])] });
      claims.get(id)!.providers.push({ name: p.name, reason: describeReason(p.reason) });
    }
  }
  return [...claims.values()].filter((c) => {
    const names = new Set(c.providers.map((p) => p.name));
    const chosen = choose.find((e) => e.hook === c.hook && e.key === c.key);
    return names.size > 1 && !(chosen && names.has(chosen.plugin));
  });
}

/**
 * Conflicts among applied plugins (their real taps, code-registered ones included) and `choose`
 * entries that name a plugin not providing their key.
 */
export function appliedProblems(host: PluginHost, keys: ReadonlyMap<HookName, ReadonlySet<string>>, chooseOrigins: ReadonlyMap<string, string>): { conflicts: ProviderConflict[]; misnamed: string[] } {
  const conflicts: ProviderConflict[] = [];
  const misnamed: string[] = [];
  const reasonOf = (name: string) => host.plugins().find((p) => p.name === name)?.reason ?? 'tapped directly';
  for (const [hook, hookKeys] of keys) {
    for (const key of hookKeys) {
      const names = host.providers(hook, key);
      const chosen = host.chosen(hook, key);
      if (chosen && names.length && !names.includes(chosen)) {
        const origin = chooseOrigins.get(`${hook}:${key}`) ?? `choose.${hook}.${key}`;
        misnamed.push(`${origin} names ${chosen}, which does not provide ${KEY_NOUN[hook as ChoosableHook]} "${key}"; it is provided by ${names.join(', ')}`);
      } else if (names.length > 1 && !chosen) {
        conflicts.push({ hook: hook as ChoosableHook, key, providers: names.map((name) => ({ name, reason: reasonOf(name) })) });
      }
    }
  }
  return { conflicts, misnamed };
}
