import type { Container } from 'inversify';
import { ConfigError } from './errors.js';
import { PluginHostId, type PluginHost } from './plugin-host.js';

/**
 * An extension point that is not a hook: a list of things plugins contribute (formats `inspect`
 * can describe, protocols a server speaks). A package that owns a point exports it; contributors
 * import the point (and its type) from there. The id is a registered symbol, so two copies of the
 * owning package still meet at the same point.
 */
export interface ContributionPoint<T> {
  readonly id: symbol;
  /** "core.artifact-describers", "serving-http.protocols": shown by explain and in errors. */
  readonly name: string;
  /** One line: what a contribution is. */
  readonly description: string;
  /** Marks T without storing a value (type only). */
  readonly __type?: T;
}

/** One contribution and the plugin that made it. */
export interface Contribution<T> {
  readonly plugin: string;
  readonly value: T;
}

/** Declares an extension point; call once, in the package that owns it, and export the result. */
export function defineContributionPoint<T>(name: string, description: string): ContributionPoint<T> {
  return Object.freeze({ id: Symbol.for(`modelport.contribution.${name}`), name, description });
}

const POINTS_ID = Symbol.for('modelport.contribution-points');

/**
 * Adds `value` to `point` in this session's container, credited to the plugin being applied (or to
 * `plugin` when given, for code outside apply). Contributions are multi-bound to the point's id,
 * the inversify way; the owner reads them with `contributionsTo`.
 */
export function contribute<T>(container: Container, point: ContributionPoint<T>, value: T, plugin?: string): void {
  const host = container.isBound(PluginHostId) ? container.get<PluginHost>(PluginHostId) : undefined;
  const by = plugin ?? host?.applyingPlugin() ?? 'registered in code';
  if (value === undefined || value === null) throw new ConfigError(`contribution to ${point.name} is empty`, { plugin: by });
  container.bind<Contribution<T>>(point.id).toConstantValue(Object.freeze({ plugin: by, value }));
  if (!container.isBound(POINTS_ID)) container.bind<Map<symbol, ContributionPoint<unknown>>>(POINTS_ID).toConstantValue(new Map());
  container.get<Map<symbol, ContributionPoint<unknown>>>(POINTS_ID).set(point.id, point as ContributionPoint<unknown>);
}

/** Everything contributed to `point` in this container, in the order the plugins were applied. */
export function contributionsTo<T>(container: Container, point: ContributionPoint<T>): Contribution<T>[] {
  if (!container.isBound(point.id)) return [];
  return container.getAll<Contribution<T>>(point.id);
}

/** The points that received contributions, with who contributed: for explain. */
export function contributionPoints(container: Container): { point: ContributionPoint<unknown>; plugins: string[] }[] {
  if (!container.isBound(POINTS_ID)) return [];
  const points = [...container.get<Map<symbol, ContributionPoint<unknown>>>(POINTS_ID).values()];
  return points.map((point) => ({ point, plugins: contributionsTo(container, point).map((c) => c.plugin) }));
}
