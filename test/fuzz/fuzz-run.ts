import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASE_KINDS, type CaseKind } from './case-kinds.js';
import { CaseWorker } from './case-worker.js';
import type { FuzzWorld } from './fuzz-world.js';
import { messageClass, type Outcome } from './outcome.js';
import { SeededRandom } from './random.js';
import { caseDir, runCase, type CaseReport } from './run-case.js';

export interface FuzzRunOptions {
  readonly seed: number;
  readonly cases: number;
  /** The kinds to run, round robin; all by default. */
  readonly kinds?: readonly CaseKind[];
  /** A case still running after this long is a hang. */
  readonly caseTimeMs?: number;
  /** Called after each case (progress). */
  readonly onCase?: (index: number, kind: string, outcome: Outcome) => void;
}

export interface KindFigures { cases: number; success: number; clear: number; defect: number; hang: number; crash: number }

/** One class of defect: the same kind and message once numbers, names and paths are blanked out. */
export interface DefectClass {
  readonly kind: string;
  readonly outcome: Outcome['kind'];
  readonly message: string;
  /** The smallest mutation seen for the class, and the case seed that replays it. */
  mutation: string;
  caseSeed: number;
  count: number;
}

export interface FuzzReport {
  readonly seed: number;
  readonly cases: number;
  readonly byKind: Record<string, KindFigures>;
  readonly defects: DefectClass[];
  /** The clear errors, by class: to read what users are told. */
  readonly clearErrors: DefectClass[];
  /** Worker threads replaced after a hang or a crash. */
  readonly restarts: number;
  readonly ms: number;
}

/**
 * Runs `cases` seeded cases over the kinds, round robin, in a worker thread, each under a time
 * limit, and counts what they came to. A case that hangs or kills the thread costs a new thread.
 */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzReport> {
  const kinds = options.kinds ?? CASE_KINDS;
  const caseTimeMs = options.caseTimeMs ?? 20_000;
  const master = new SeededRandom(options.seed);
  const byKind: Record<string, KindFigures> = Object.fromEntries(kinds.map((k) => [k.name, { cases: 0, success: 0, clear: 0, defect: 0, hang: 0, crash: 0 }]));
  const defects = new Map<string, DefectClass>();
  const clearErrors = new Map<string, DefectClass>();
  const record = (kind: string, outcome: Outcome, mutation: string, caseSeed: number) => {
    if (outcome.kind === 'success') return;
    const classes = outcome.kind === 'clear' ? clearErrors : defects;
    const key = `${kind}\u0000${outcome.kind}\u0000${messageClass(outcome.message)}`;
    const known = classes.get(key);
    if (!known) classes.set(key, { kind, outcome: outcome.kind, message: outcome.message.slice(0, 400), mutation, caseSeed, count: 1 });
    else {
      known.count++;
      if (mutation.length < known.mutation.length) Object.assign(known, { mutation, caseSeed });
    }
  };

  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-fuzz-'));
  let restarts = 0;
  const startWorker = () => CaseWorker.start(path.join(root, `worker-${restarts}`));
  let worker = await startWorker();
  // The working directory, where a relative path gone wrong would land: nothing may appear in it.
  const cwdBefore = new Set(await fs.readdir(process.cwd()));
  const t0 = performance.now();
  try {
    for (let i = 0; i < options.cases; i++) {
      const kind = kinds[i % kinds.length]!;
      const caseSeed = master.fork();
      const report = await worker.run({ kind: kind.name, caseSeed, index: i }, caseTimeMs);
      if (report.lost) {
        await worker.terminate();
        restarts++;
        worker = await startWorker();
      }
      const figures = byKind[kind.name]!;
      figures.cases++;
      figures[report.outcome.kind]++;
      record(kind.name, report.outcome, report.mutation, caseSeed);
      options.onCase?.(i, kind.name, report.outcome);
    }
    for (const entry of await fs.readdir(process.cwd())) {
      if (!cwdBefore.has(entry)) record('(all)', { kind: 'defect', message: `file written outside --out, in the working directory: ${entry}` }, '(a case of this run)', options.seed);
    }
  } finally {
    await worker.close();
    await fs.rm(root, { recursive: true, force: true });
  }
  return {
    seed: options.seed, cases: options.cases, byKind, restarts, ms: performance.now() - t0,
    defects: [...defects.values()].sort((a, b) => b.count - a.count), clearErrors: [...clearErrors.values()].sort((a, b) => b.count - a.count),
  };
}

/** Replays one case by its seed (from a report) in this thread, and returns what it came to. */
export function replayCase(world: FuzzWorld, kind: CaseKind, caseSeed: number): Promise<CaseReport> {
  return runCase(world, kind, caseSeed, caseDir(world, `replay-${caseSeed}`));
}
