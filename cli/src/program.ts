import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { registerCheckpoints } from './commands/checkpoints.js';
import { registerExport } from './commands/export.js';
import { registerServe } from './commands/serve.js';
import { registerInspect } from './commands/inspect.js';
import { registerRegistryCommands } from './commands/registry.js';
import { describeFailure } from './output/errors.js';

const VERSION: string = createRequire(import.meta.url)('../../package.json').version;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

export function createProgram(): Command {
  const program = new Command('modelport')
    .description('export trained TensorFlow.js models to the formats runtimes load, through plugins')
    .version(VERSION)
    .option('--config <file>', 'project configuration (default: ./modelport.config.json if present)')
    .option('--preset <names>', 'presets to use instead of the configured ones (comma-separated)', collect)
    .option('--plugin <names>', 'extra plugins to load (comma-separated package names)', collect)
    .option('--verbose', 'log details, and print the cause chain of errors')
    .showHelpAfterError()
    .exitOverride();
  registerExport(program);
  registerInspect(program);
  registerRegistryCommands(program);
  registerCheckpoints(program);
  registerServe(program);
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
