// Crash bench: many more SIGKILLs than the test. Builds nothing; run `npx tsc -b plugins/checkpoint-manager` first.
// Usage: node plugins/checkpoint-manager/bench/crash.mjs [kills=200] [maxDelayMs=150] [maxToKeep]
// Prints the figures as JSON: kills, versions reported and visible, versions verified against
// export.json, kills that interrupted an export or held the lock, lost and incomplete versions.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CheckpointManager, verifyVersion } from '@modelport/checkpoint-manager';
import { crashLoop } from '../test/fixtures/crash-loop.mjs';

const [kills = '200', maxDelayMs = '150', maxToKeep] = process.argv.slice(2);
const base = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-crash-bench-'));
try {
  const stats = await crashLoop({ base, model: 'bench', kills: Number(kills), maxDelayMs: Number(maxDelayMs), ...(maxToKeep ? { maxToKeep: Number(maxToKeep) } : {}) });
  const modelDir = path.join(base, 'bench');
  const leftoversBefore = (await fs.readdir(modelDir)).filter((n) => n.startsWith('.')).length;
  const t0 = Date.now();
  await new CheckpointManager({ directory: base, model: 'bench' }).open();
  const startUpMs = Date.now() - t0;
  const leftoversAfter = (await fs.readdir(modelDir)).filter((n) => n.startsWith('.')).length;
  let finalProblems = 0;
  const versions = (await fs.readdir(modelDir)).filter((n) => /^\d+$/.test(n));
  for (const v of versions) finalProblems += (await verifyVersion(path.join(modelDir, v))).problems.length;
  process.stdout.write(`${JSON.stringify({ ...stats, leftoversBefore, leftoversAfter, startUpMs, finalVersions: versions.length, finalProblems }, null, 2)}\n`);
  if (stats.lost.length || stats.incomplete.length || finalProblems || leftoversAfter) process.exitCode = 1;
} finally {
  await fs.rm(base, { recursive: true, force: true });
}
