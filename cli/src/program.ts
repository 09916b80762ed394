import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { registerCheckpoints } from './commands/checkpoints.js';
import { registerExport } from './commands/export.js';
import { registerServe } from './commands/serve.js';
import { registerInspect } from './commands/inspect.js';
import { registerNewPlugin } from './commands/new-plugin.js';
import { registerRegistryCommands } from './commands/registry.js';
import { describeFailure } from './output/errors.js';
import { addSessionOptions, mergeSessionLists } from './session-options.js';

const VERSION: string = createRequire(import.meta.url)('../../package.json').version;

/**
 * Program options are read only before the command name (enablePositionalOptions): otherwise the
 * program's `--version` answers `export --version 3` and the export never runs. The options every
 * command shares are declared on each command too, so they still work after its name.
 */
export function createProgram(): Command {
  const program = new Command('modelport')
    .description('export trained TensorFlow.js models to the formats runtimes load, through plugins')
    .version(VERSION)
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride();
  addSessionOptions(program);
  registerExport(program);
  registerInspect(program);
  registerRegistryCommands(program);
  registerCheckpoints(program);
  registerServe(program);
  for (const command of program.commands) addSessionOptions(command);
  // Writing a package needs no session: no plugin, preset or config options.
  registerNewPlugin(program);
  program.hook('preAction', mergeSessionLists);
  return program;
}

/** Runs the CLI; returns the exit code. Errors are one line (the cause chain with --verbose). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode; // commander printed help or the usage error already
    const verbose = argv.includes('--verbose');
    process.stderr.write(`${describeFailure(error, verbose)}\n`);
    return 1;
  }
}
