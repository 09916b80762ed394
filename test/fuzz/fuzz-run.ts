import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CASE_KINDS, type CaseKind, type CaseResult } from './case-kinds.js';
import type { FuzzWorld } from './fuzz-world.js';
import { messageClass, type Outcome } from './outcome.js';
import { SeededRandom } from './random.js';
import { misplacedFiles } from './version-folder-check.js';

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
  readonly ms: number;
}

const WORST: readonly Outcome['kind'][] = ['crash', 'hang', 'defect', 'clear', 'success'];

/** The case's outcome: its worst step. */
function caseOutcome(result: CaseResult): Outcome {
  return [...result.steps].map((s) => s.outcome).sort((a, b) => WORST.indexOf(a.kind) - WORST.indexOf(b.kind))[0] ?? { kind: 'success' };
}

function withTimeLimit<T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout;
  return Promise.race([work, new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); })]).finally(() => clearTimeout(timer));
}

/** Runs `cases` seeded cases over the kinds, each under a time limit, and counts what they came to. */
export async function runFuzz(world: FuzzWorld, options: FuzzRunOptions): Promise<FuzzReport> {
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

  // An error nobody awaits, thrown while a case runs, is a crash of the process had it been the CLI.
  let escaped: string[] = [];
  const onEscape = (e: unknown) => { escaped.push(e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)); };
  process.on('uncaughtException', onEscape);
  process.on('unhandledRejection', onEscape);
  const casesDir = path.join(world.scratch, 'cases');
  // The working directory, where a relative path gone wrong would land: nothing may appear in it.
  const cwdBefore = new Set(await fs.readdir(process.cwd()));
  const t0 = performance.now();
  try {
    for (let i = 0; i < options.cases; i++) {
      const kind = kinds[i % kinds.length]!;
      const caseSeed = master.fork();
      const dir = path.join(casesDir, String(i));
      await fs.mkdir(dir, { recursive: true });
      escaped = [];
      let mutation = '(not reached)';
      let outcome: Outcome;
      try {
        const result = await withTimeLimit(kind.run(world, new SeededRandom(caseSeed), dir), caseTimeMs);
        if (result === 'timeout') outcome = { kind: 'hang', message: `no outcome after ${caseTimeMs} ms` };
        else {
          mutation = result.mutation;
          outcome = caseOutcome(result);
          const misplaced = kind.writesFiles ? await misplacedFiles(dir) : [];
          if (misplaced.length && outcome.kind !== 'crash') outcome = { kind: 'defect', message: misplaced.join('; ') };
        }
      } catch (e) {
        outcome = { kind: 'defect', message: `the case itself failed: ${(e as Error).message}` };
      }
      await new Promise((resolve) => setImmediate(resolve)); // let escaped errors of this case surface
      if (escaped.length) outcome = { kind: 'crash', message: escaped[0]! };
      const figures = byKind[kind.name]!;
      figures.cases++;
      figures[outcome.kind]++;
      record(kind.name, outcome, mutation, caseSeed);
      options.onCase?.(i, kind.name, outcome);
      if (outcome.kind !== 'hang') await fs.rm(dir, { recursive: true, force: true });
    }
    for (const entry of await fs.readdir(process.cwd())) {
      if (!cwdBefore.has(entry)) record('(all)', { kind: 'defect', message: `file written outside --out, in the working directory: ${entry}` }, '(a case of this run)', options.seed);
    }
  } finally {
    process.off('uncaughtException', onEscape);
    process.off('unhandledRejection', onEscape);
  }
  return { seed: options.seed, cases: options.cases, byKind, defects: [...defects.values()].sort((a, b) => b.count - a.count), clearErrors: [...clearErrors.values()].sort((a, b) => b.count - a.count), ms: performance.now() - t0 };
}

/** Replays one case by its seed (from a report) and returns what it did. */
export async function replayCase(world: FuzzWorld, kind: CaseKind, caseSeed: number): Promise<CaseResult> {
  const dir = path.join(world.scratch, 'replay', String(caseSeed));
  await fs.mkdir(dir, { recursive: true });
  return kind.run(world, new SeededRandom(caseSeed), dir);
}
