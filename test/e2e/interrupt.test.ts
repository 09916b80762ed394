import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { digestFile, initBackend, listFiles } from '@modelport/core';
import { runCli } from '../support/cli.js';
import { scratchDir } from '../support/fixtures.js';
import { saveLayersModelFiles, slowConvModel } from '../support/layers-fixtures.js';
import { CLI_BIN, REPO_ROOT } from '../support/paths.js';

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
/** A forwarded signal, one second of grace, the kill and the clean-up: a couple of seconds. */
const PROMPT_MS = 3000;

async function digests(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const rel of await listFiles(dir)) out[rel] = (await digestFile(path.join(dir, rel))).sha256;
  return out;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * An export stopped by a signal while tfjs holds the main thread (a layers model's predict is one
 * synchronous call of seconds here): the command ends promptly with 128 + the signal, the version
 * it was writing is gone and the earlier version is byte for byte what it was.
 */
describe('CLI: an export stopped by a signal', function () {
  this.timeout(240_000);
  let dir: string;
  let model: string;
  before(async () => {
    await initBackend();
    dir = await scratchDir('interrupt');
    model = await saveLayersModelFiles(slowConvModel(384, 32, 12), path.join(dir, 'slow'));
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops on ${signal} during validation with ${SIGNAL_CODES[signal]}, leaving no temp version and the earlier one untouched`, async () => {
      const out = path.join(dir, `out-${signal}`);
      const first = await runCli(['export', model, '--out', out, '--no-validate', '--json']);
      expect(first.code, first.stderr).to.equal(0);
      const modelDir = path.join(out, 'slow');
      const before = await digests(path.join(modelDir, '1'));

      const child = spawn(process.execPath, [CLI_BIN, 'export', model, '--out', out, '--json'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) => {
        child.once('exit', (code, sig) => resolve({ code, signal: sig, at: performance.now() }));
      });
      // The temp version appears after the artifacts' write begins; validation follows at once.
      await waitFor(async () => (await fs.readdir(modelDir)).some((n) => n.startsWith('.tmp-')), 120_000);
      await new Promise((r) => setTimeout(r, 500));
      const sent = performance.now();
      child.kill(signal);
      const { code, at } = await exited;

      expect(at - sent, stderr).to.be.below(PROMPT_MS);
      expect(code, stderr).to.equal(SIGNAL_CODES[signal]);
      expect(await fs.readdir(modelDir)).to.deep.equal(['1']);
      expect(await digests(path.join(modelDir, '1'))).to.deep.equal(before);
    });
  }

  it('leaves a temp version when the command and its process are killed outright, and the next export removes it', async () => {
    const out = path.join(dir, 'out-SIGKILL');
    const modelDir = path.join(out, 'slow');
    const child = spawn(process.execPath, [CLI_BIN, 'export', model, '--out', out, '--json'], { cwd: REPO_ROOT, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let temp: string | undefined;
    await waitFor(async () => {
      temp = (await fs.readdir(modelDir).catch(() => [] as string[])).find((n) => n.startsWith('.tmp-'));
      return temp !== undefined;
    }, 120_000);
    // What no signal handler sees: the supervisor, then the process writing the version (its pid names the folder).
    child.kill('SIGKILL');
    await exited;
    const writer = Number(/^\.tmp-(\d+)-/.exec(temp!)![1]);
    process.kill(writer, 'SIGKILL');
    expect(await fs.readdir(modelDir)).to.deep.equal([temp]);

    const next = await runCli(['export', model, '--out', out, '--no-validate', '--json']);
    expect(next.code, next.stderr).to.equal(0);
    expect(await fs.readdir(modelDir)).to.deep.equal(['1']);
    const notes = (JSON.parse(next.stdout) as { notes: string[] }).notes;
    expect(notes).to.include(`removed 1 temp folder(s) left in the repository by exports whose process is gone: slow/${temp}`);
  });
});
