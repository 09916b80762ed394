// `npm run fuzz -- [--seed N] [--cases N] [--kinds a,b] [--case-time-ms N] [--clear-errors] [--replay <kind>:<case seed>]`: the long fuzz run, with figures.
import os from 'node:os';
import { CASE_KINDS } from './case-kinds.js';
import { formatFuzzReport } from './fuzz-report.js';
import { replayCase, runFuzz } from './fuzz-run.js';
import { openFuzzWorld } from './fuzz-world.js';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const positional = process.argv.slice(2).find((a) => /^\d+$/.test(a));
const seed = Number(flag('seed') ?? positional ?? Date.now() % 1_000_000);
const cases = Number(flag('cases') ?? 10_000);
const wanted = flag('kinds')?.split(',');
const kinds = wanted ? CASE_KINDS.filter((k) => wanted.includes(k.name)) : CASE_KINDS;
const caseTimeMs = Number(flag('case-time-ms') ?? 20_000);
if (!Number.isInteger(seed) || !Number.isInteger(cases) || cases < 1 || !kinds.length) {
  process.stderr.write(`usage: npm run fuzz -- [--seed N] [--cases N] [--kinds ${CASE_KINDS.map((k) => k.name).join(',')}] [--case-time-ms N]\n`);
  process.exit(2);
}

process.stdout.write(`modelport fuzz: seed ${seed}, ${cases} cases, kinds ${kinds.map((k) => k.name).join(', ')}\n`);
process.stdout.write(`machine: ${os.cpus()[0]?.model ?? 'unknown cpu'} ×${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${os.platform()} ${os.release()}\n`);
const replay = flag('replay');
if (replay) {
  const world = await openFuzzWorld();
  // --replay <kind>:<case seed>, as a report prints them: the one case again, with each step's full outcome.
  const [name, caseSeed] = [replay.slice(0, replay.lastIndexOf(':')), Number(replay.slice(replay.lastIndexOf(':') + 1))];
  const kind = CASE_KINDS.find((k) => k.name === name);
  if (!kind) throw new Error(`no case kind "${name}"; kinds: ${CASE_KINDS.map((k) => k.name).join(', ')}`);
  const result = await replayCase(world, kind, caseSeed);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await world.close();
  process.exit(0);
}
const t0 = performance.now();
const report = await runFuzz({
  seed, cases, kinds, caseTimeMs,
  onCase(i) {
    if ((i + 1) % 500 === 0) process.stdout.write(`  ${i + 1} cases, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  },
});
process.stdout.write(`\n${formatFuzzReport(report, { clearErrors: process.argv.includes('--clear-errors') })}\n`);
const bad = Object.values(report.byKind).reduce((n, f) => n + f.defect + f.hang + f.crash, 0);
process.exit(bad ? 1 : 0);
