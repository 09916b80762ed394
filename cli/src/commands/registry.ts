import type { Command } from 'commander';
import { formatExplanation } from '@modelport/registry';
import { formatTable } from '../output/table.js';
import { openSession, type SessionFlags } from '../session.js';

/** `plugins`, `presets` and `explain`: what is installed, what presets hold, who answers each hook. */
export function registerRegistryCommands(program: Command): void {
  program.command('plugins')
    .description('list installed modelport plugins: type, what they provide, compatible with this core or why not')
    .action(async (_flags: unknown, command: Command) => {
      const session = await openSession(command.optsWithGlobals() as SessionFlags, { loadPlugins: false });
      const installed = (await session.registry.discover()).filter((p) => p.manifest && p.manifest.type !== 'preset');
      const rows = installed.map((p) => [p.name, p.version, p.manifest?.type ?? '?', (p.manifest?.provides ?? []).join(', '), p.compatible ? 'yes' : `no: ${p.reason}`]);
      process.stdout.write(`${formatTable(['plugin', 'version', 'type', 'provides', 'compatible'], rows)}\n`);
    });

  program.command('presets')
    .description('list installed presets and the plugins each one applies')
    .action(async (_flags: unknown, command: Command) => {
      const session = await openSession(command.optsWithGlobals() as SessionFlags, { loadPlugins: false });
      const presets = (await session.registry.discover()).filter((p) => p.manifest?.type === 'preset');
      for (const p of presets) {
        const plan = await session.registry.resolve({ presets: [p.name] });
        process.stdout.write(`${p.name} ${p.version}${p.compatible ? '' : ` (incompatible: ${p.reason})`}\n`);
        for (const planned of plan.plugins) process.stdout.write(`  ${planned.name}${Object.keys(planned.options).length ? ` ${JSON.stringify(planned.options)}` : ''}\n`);
      }
    });

  program.command('explain')
    .description('show which plugin answers each hook (and each target, format) and why')
    .action(async (_flags: unknown, command: Command) => {
      const session = await openSession(command.optsWithGlobals() as SessionFlags);
      process.stdout.write(`${formatExplanation(session.registry.explain()).join('\n')}\n`);
    });
}
