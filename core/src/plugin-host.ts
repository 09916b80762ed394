import type { Container } from 'inversify';
import type { HookMap } from 'tapable';
import { ConfigError, ModelportError, PluginError } from './errors.js';
import { HOOK_NAMES, KEYED_HOOKS, type HookName, type Hooks } from './hooks.js';
import { validateOptions } from './options.js';
import type { Plugin } from './plugin.js';
import { checkTapGraph, GRAPH_WATERFALL_HOOKS } from './tap-checks.js';

export const PluginHostId = Symbol.for('modelport.PluginHost');

export interface AppliedPlugin {
  readonly name: string;
  readonly version: string;
  readonly options: Readonly<Record<string, unknown>>;
  /** Why it was applied (by the registry: "preset default", "config plugins"…). */
  readonly reason: string;
}

interface TapLike { name: string; fn: (...args: any[]) => any; type: string }

/**
 * Applies plugins to the hooks and keeps the record of what was applied. One interceptor on every
 * hook wraps each tap so that what it throws becomes a PluginError naming plugin and hook, checks
 * the graph each transformGraph and quantize tap returns (a broken one is blamed on that tap), and so
 * that a keyed hook (writeArtifact, serve, loadModel) only calls the plugin chosen for its key when
 * several tapped it.
 */
export class PluginHost {
  private readonly applied: AppliedPlugin[] = [];
  private readonly choices = new Map<string, string>();
  private applying: string | undefined;

  constructor(private readonly hooks: Hooks, private readonly container: Container) {
    for (const name of HOOK_NAMES) this.intercept(name);
  }

  /** Validates options against the plugin's schema, then runs its `apply`. */
  async apply(plugin: Plugin<any>, options: Record<string, unknown> = {}, reason = 'registered in code'): Promise<void> {
    if (!plugin || typeof plugin.name !== 'string' || typeof plugin.apply !== 'function') {
      throw new ConfigError('a plugin must be an object with a name, a version and an apply(hooks, options, container) function');
    }
    if (this.applied.some((p) => p.name === plugin.name)) throw new ConfigError(`plugin ${plugin.name} is applied twice`, { plugin: plugin.name });
    const checked = plugin.optionsSchema
      ? validateOptions<Record<string, unknown>>(plugin.optionsSchema, options, 'options', { plugin: plugin.name })
      : options;
    this.applying = plugin.name;
    try {
      await plugin.apply(this.hooks, checked, this.container);
    } catch (e) {
      throw e instanceof ModelportError && e.plugin ? e : new PluginError(plugin.name, 'apply', e);
    } finally {
      this.applying = undefined;
    }
    this.applied.push({ name: plugin.name, version: plugin.version, options: checked, reason });
  }

  /** When several plugins tap `hook` for `key`, only `plugin` answers. */
  choose(hook: HookName, key: string, plugin: string): void {
    this.choices.set(`${hook}:${key}`, plugin);
  }

  chosen(hook: HookName, key: string): string | undefined {
    return this.choices.get(`${hook}:${key}`);
  }

  /** The plugin whose apply is running, if any: contributions made now are credited to it. */
  applyingPlugin(): string | undefined {
    return this.applying;
  }

  plugins(): readonly AppliedPlugin[] {
    return this.applied;
  }

  /** Names of the plugins tapping a keyed hook for `key`. */
  providers(hook: HookName, key: string): string[] {
    const map = this.hooks[hook] as unknown as HookMap<any>;
    const h = map.get(key) as { taps: TapLike[] } | undefined;
    return h ? [...new Set(h.taps.map((t) => t.name))] : [];
  }

  private providerHint: ((hook: HookName, key: string) => string | undefined) | undefined;

  /**
   * Lets whoever knows the installed packages (the registry) say, when no applied plugin provides
   * a key, which installed one would and how to enable it.
   */
  setProviderHint(hint: (hook: HookName, key: string) => string | undefined): void {
    this.providerHint = hint;
  }

  /**
   * Throws a ConfigError when more than one plugin taps `hook` for `key` and none was chosen, or
   * when none does. `what` names the thing in the message ("target", "source format").
   */
  assertSingleProvider(hook: HookName, key: string, what: string): void {
    const names = this.providers(hook, key);
    const choice = this.chosen(hook, key);
    if (names.length === 0) {
      const hint = this.providerHint?.(hook, key) ?? 'install and enable one, see `modelport plugins`';
      throw new ConfigError(`no plugin provides ${what} "${key}"; ${hint}`, { hook });
    }
    if (names.length > 1 && !(choice && names.includes(choice))) {
      throw new ConfigError(`${names.length} plugins claim ${what} "${key}" (${names.join(', ')}); choose one in modelport.config.json: { "choose": { "${hook}": { "${key}": "<plugin>" } } }`, { hook });
    }
  }

  private intercept(hookName: HookName): void {
    const register = (key: string | undefined) => (tap: TapLike): TapLike => {
      const plugin = this.applying ?? tap.name;
      const choiceKey = key === undefined ? undefined : `${hookName}:${key}`;
      const checksGraph = GRAPH_WATERFALL_HOOKS.has(hookName);
      const wrap = (fn: (...args: any[]) => any) => {
        const wrapped = async (...args: any[]) => {
          const chosen = choiceKey && this.choices.get(choiceKey);
          if (chosen && chosen !== plugin) return checksGraph ? args[0] : undefined;
          try {
            const value = await fn(...args);
            // Checked here, per tap, so that the tap that broke the graph is the one blamed.
            return checksGraph ? checkTapGraph(hookName, value) : value;
          } catch (e) {
            throw e instanceof PluginError ? e : new PluginError(plugin, key ? `${hookName}[${key}]` : hookName, e);
          }
        };
        return wrapped;
      };
      // Promise taps and sync taps both become promise taps, so that the wrapper can await.
      return { ...tap, name: plugin, type: 'promise', fn: wrap(tap.type === 'async' ? promisifyCallbackTap(tap.fn) : tap.fn) };
    };
    const hook = this.hooks[hookName] as any;
    if (KEYED_HOOKS.has(hookName)) {
      hook.intercept({ factory: (key: string, inner: any) => { inner.intercept({ register: register(key) }); return inner; } });
    } else {
      hook.intercept({ register: register(undefined) });
    }
  }
}

function promisifyCallbackTap(fn: (...args: any[]) => void) {
  return (...args: any[]) => new Promise((resolve, reject) => fn(...args, (err: unknown, value: unknown) => (err ? reject(err) : resolve(value))));
}
