import type { Command } from 'commander';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

const SESSION_OPTIONS: readonly { flags: string; description: string; list?: boolean }[] = [
  { flags: '--config <file>', description: 'project configuration (default: ./modelport.config.json if present)' },
  { flags: '--preset <names>', description: 'presets to use instead of the configured ones (comma-separated)', list: true },
  { flags: '--plugin <names>', description: 'extra plugins to load (comma-separated package names, or paths to package folders: ./my-exporter)', list: true },
  { flags: '--verbose', description: 'log details, and print the cause chain of errors' },
];

/** The options every command takes (see SessionFlags); a command's own option of the same name wins. */
export function addSessionOptions(command: Command): void {
  for (const { flags, description, list } of SESSION_OPTIONS) {
    const long = flags.split(' ')[0]!;
    if (command.options.some((o) => o.long === long)) continue;
    if (list) command.option(flags, description, collect);
    else command.option(flags, description);
  }
}

/** `modelport --preset a export m --preset b` uses a and b: list options given before and after the command name add up. */
export function mergeSessionLists(program: Command, action: Command): void {
  if (action === program) return;
  for (const { flags, list } of SESSION_OPTIONS) {
    if (!list) continue;
    const key = flags.slice(2).split(' ')[0]!;
    const before = program.getOptionValue(key) as string[] | undefined;
    const after = action.getOptionValue(key) as string[] | undefined;
    if (before && after) action.setOptionValue(key, [...before, ...after]);
  }
}
