import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { scratchDir } from '../support/fixtures.js';
import { EXAMPLE_MODEL, REPO_ROOT } from '../support/paths.js';

const VERSION: string = createRequire(import.meta.url)(path.join(REPO_ROOT, 'cli', 'package.json')).version;

/** Options of a command that share a name with the program's reach the command, run for real. */
describe('CLI: options of commands and of the program', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(async () => { dir = await scratchDir('options'); });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  for (const form of [['--version', '3'], ['--version=3']]) {
    it(`exports version 3 with export … ${form.join(' ')}`, async () => {
      const r = await runCli(['export', EXAMPLE_MODEL, '--out', dir, ...form, '--no-validate', '--json']);
      expect(r.code, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout).version).to.equal(3);
      const manifest = JSON.parse(await fs.readFile(path.join(dir, 'tiny-cnn', '3', 'export.json'), 'utf8')) as { version: number };
      expect(manifest.version).to.equal(3);
      expect(await fs.readdir(path.join(dir, 'tiny-cnn'))).to.deep.equal(['3']);
    });
  }

  it('prints the program version with --version and -V before any command', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code).to.equal(0);
      expect(r.stdout.trim()).to.equal(VERSION);
    }
  });

  it('prints the command\'s help with export --help and -h, which lists its --version', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await runCli(['export', flag]);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.match(/^Usage: modelport export /);
      expect(r.stdout).to.match(/--version <n>\s+version number to write/);
    }
  });

  it('takes the shared --verbose before or after the command name', async () => {
    for (const args of [['--verbose', 'inspect', EXAMPLE_MODEL], ['inspect', EXAMPLE_MODEL, '--verbose']]) {
      const r = await runCli(args);
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr, args.join(' ')).to.match(/applied @modelport\/importer-tfjs/);
    }
  });
});
