import { expect } from 'chai';
import type { Command, Option } from 'commander';
import { createProgram } from '../src/program.js';

// A value the option's own parser accepts (most take any string).
function sampleValue(option: Option): string {
  for (const value of ['3', '1,4', 'x=1', 'x=1,4', 'x.y=1']) {
    try { option.parseArg?.(value, option.defaultValue); return value; } catch { /* try the next form */ }
  }
  throw new Error(`no sample value for ${option.long}`);
}

/** Parses `modelport <argv>` with every action replaced by a recorder; returns the command that ran. */
async function parsed(argv: string[]): Promise<Command | undefined> {
  const program = createProgram();
  let ran: Command | undefined;
  for (const command of program.commands) command.action((...args: unknown[]) => { ran = args[args.length - 1] as Command; });
  program.configureOutput({ writeOut: () => {}, writeErr: () => {} });
  await program.parseAsync(['node', 'modelport', ...argv]);
  return ran;
}

const placeholders = (command: Command) => command.registeredArguments.filter((a) => a.required).map(() => 'model.json');

describe('modelport option routing', () => {
  it('gives every option of every command to that command, after its name, as --flag value and --flag=value', async () => {
    const program = createProgram();
    const checked: string[] = [];
    for (const command of program.commands) {
      for (const option of command.options) {
        const flag = option.long!;
        const forms = option.required || option.optional ? [[flag, sampleValue(option)], [`${flag}=${sampleValue(option)}`]] : [[flag]];
        for (const form of forms) {
          const ran = await parsed([command.name(), ...placeholders(command), ...form]);
          expect(ran?.name(), `${command.name()} ${form.join(' ')}`).to.equal(command.name());
          expect(ran!.getOptionValueSource(option.attributeName()), `${command.name()} ${form.join(' ')}`).to.equal('cli');
        }
        checked.push(`${command.name()} ${flag}`);
      }
    }
    expect(checked).to.include.members(['export --version', 'export --verbose', 'serve --port', 'checkpoints --json']);
  });

  it('reads export --version 3 as the version to write, not as the program\'s --version', async () => {
    for (const form of [['--version', '3'], ['--version=3']]) {
      const ran = await parsed(['export', 'model.json', ...form]);
      expect(ran?.opts().version).to.equal('3');
    }
  });

  it('adds up --preset and --plugin given before and after the command name', async () => {
    const ran = await parsed(['--preset', 'a', '--plugin', 'p', 'export', 'model.json', '--preset', 'b,c']);
    expect(ran?.opts().preset).to.deep.equal(['a', 'b', 'c']);
    expect(ran?.optsWithGlobals().plugin).to.deep.equal(['p']);
  });
});
