import path from 'node:path';
import type { Command } from 'commander';
import { ConfigError } from '@modelport/core';
import { describeHidden, describeSearchPath, formatExplanation, isPackagePath, readPresetFile, type DiscoveredPlugin } from '@modelport/registry';
import { formatTable } from '../output/table.js';
import { openSession, type Session, type SessionFlags } from '../session.js';

/** `plugins`, `presets` and `explain`: what is installed and where, what presets hold, who answers each hook. */
export function registerRegistryCommands(program: Command): void {
  program.command('plugins')
    .description('list installed modelport plugins: type, what they provide, compatible with this core or why not, where each was found')
    .option('--explain', 'then load the configured plugins and show, as `modelport explain` does, who answers each hook, with options and stages')
    .action(async (flags: { explain?: boolean }, command: Command) => {
      const session = await openSession(command.optsWithGlobals() as SessionFlags, { loadPlugins: false });
      const installed = [...(await session.registry.discover()), ...await namedByPath(session)].filter((p) => p.manifest?.type !== 'preset');
      const searched = describeSearchPath(await session.registry.searchPath());
      // An empty table would read as "nothing to see" when the install itself is broken.
      if (!installed.length) throw new ConfigError(`no modelport plugins found; searched ${searched}. Install @modelport/cli again, or install plugins in the project`);
      const compatible = (p: DiscoveredPlugin) => (p.compatible ? 'yes' : p.manifest ? `no: ${p.reason}` : 'no: malformed manifest (below)');
      const rows = installed.map((p) => [p.name, p.version, p.manifest?.type ?? '?', (p.manifest?.provides ?? []).join(', '), compatible(p), foundIn(p)]);
      process.stdout.write(`${formatTable(['plugin', 'version', 'type', 'provides', 'compatible', 'found in'], rows)}\n`);
      // Listed, not dropped: a package that means to be a plugin and cannot be read as one.
      const malformed = installed.filter((p) => !p.manifest);
      if (malformed.length) process.stdout.write(`malformed manifests:\n${malformed.map((p) => `  ${p.name} (${p.packageJson}): ${p.problem}\n`).join('')}`);
      for (const p of installed) if (p.hides.length) process.stdout.write(`${p.name} ${p.version} ${describeHidden(p)}\n`);
      session.logger.debug(`searched ${searched}`);
      if (flags.explain) await printExplanation(command);
    });

  program.command('presets')
    .description('list installed presets: what each is for, where it was found, its export defaults and the plugins it applies')
    .action(async (_flags: unknown, command: Command) => {
      const session = await openSession(command.optsWithGlobals() as SessionFlags, { loadPlugins: false });
      const presets = (await session.registry.discover()).filter((p) => p.manifest?.type === 'preset');
      if (!presets.length) throw new ConfigError(`no modelport presets found; searched ${describeSearchPath(await session.registry.searchPath())}`);
      for (const p of presets) {
        process.stdout.write(`${p.name} ${p.version}${p.compatible ? '' : ` (incompatible: ${p.reason})`} — ${foundIn(p)}\n`);
        // One broken preset is reported in its place; the others are still listed.
        try {
          const description = p.manifest ? (await readPresetFile(p)).preset.description ?? p.description : p.description;
          if (description) process.stdout.write(`  ${description}\n`);
          const plan = await session.registry.resolve({ presets: [p.name] });
          const defaults = Object.entries(plan.exportDefaults).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
          if (defaults.length) process.stdout.write(`  export defaults: ${defaults.join(', ')}\n`);
          for (const planned of plan.plugins) process.stdout.write(`    ${planned.name}${Object.keys(planned.options).length ? ` ${JSON.stringify(planned.options)}` : ''}\n`);
        } catch (e) {
          process.stdout.write(`  cannot be used: ${(e as Error).message}\n`);
        }
      }
    });

  program.command('explain')
    .description('show which plugin answers each hook (and each target, format), why, and where each plugin was found')
    .action(async (_flags: unknown, command: Command) => printExplanation(command));
}

/** Loads the configured plugins and prints who answers each hook; with none applied, where plugins were looked for. */
async function printExplanation(command: Command): Promise<void> {
  const session = await openSession(command.optsWithGlobals() as SessionFlags);
  const explanation = session.registry.explain();
  process.stdout.write(`${formatExplanation(explanation).join('\n')}\n`);
  if (!explanation.plugins.length) {
    process.stdout.write(`no plugins applied; plugins were looked for in ${describeSearchPath(await session.registry.searchPath())}\n`);
  }
}

/**
 * The plugins the config, its presets and --plugin name by path: they are in no node_modules, so
 * discovery cannot list them. A plan that cannot be resolved lists none; a warning says why when
 * the config or a flag names a path itself.
 */
async function namedByPath(session: Session): Promise<DiscoveredPlugin[]> {
  try {
    const plan = await session.registry.resolve(session.config, session.overrides);
    return plan.plugins.map((p) => p.package).filter((p) => p.origin === 'path');
  } catch (e) {
    const written = [...(session.config.config.plugins ?? []), ...(session.overrides.plugins ?? []), ...(session.overrides.presets ?? session.config.config.presets ?? [])]
      .map((item) => (typeof item === 'string' ? item : item[0]));
    const log = written.some(isPackagePath) ? session.logger.warn : session.logger.debug;
    log.call(session.logger, `plugins named by path are not listed: ${(e as Error).message}`);
    return [];
  }
}

/** "bundled with modelport", "project" or "by path", and the folder: relative when it is under the working directory. */
function foundIn(p: DiscoveredPlugin): string {
  const folder = p.origin === 'path' ? p.dir : path.join(p.nodeModules, ...p.name.split('/'));
  const relative = path.relative(process.cwd(), folder);
  const shown = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : folder;
  const origin = p.origin === 'bundled' ? 'bundled with modelport' : p.origin === 'path' ? `by path "${p.namedAs}"` : 'project';
  return `${origin}: ${shown}`;
}
