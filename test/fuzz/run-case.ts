import path from 'node:path';
import { promises as fs } from 'node:fs';
import type { CaseKind, CaseResult } from './case-kinds.js';
import type { FuzzWorld } from './fuzz-world.js';
import type { Outcome } from './outcome.js';
import { SeededRandom } from './random.js';
import { misplacedFiles } from './version-folder-check.js';

/** A case's mutation (to reproduce it) and what it came to. */
export interface CaseReport {
  readonly mutation: string;
  readonly outcome: Outcome;
}

const WORST: readonly Outcome['kind'][] = ['crash', 'hang', 'defect', 'clear', 'success'];

/** The case's outcome: its worst step. */
function worstStep(result: CaseResult): Outcome {
  return [...result.steps].map((s) => s.outcome).sort((a, b) => WORST.indexOf(a.kind) - WORST.indexOf(b.kind))[0] ?? { kind: 'success' };
}

/** Runs one case in `dir` (made and removed here) and checks what it left behind. */
export async function runCase(world: FuzzWorld, kind: CaseKind, caseSeed: number, dir: string, note: (mutation: string) => void = () => {}): Promise<CaseReport> {
  await fs.mkdir(dir, { recursive: true });
  try {
    const result = await kind.run(world, new SeededRandom(caseSeed), dir, note);
    let outcome = worstStep(result);
    const misplaced = kind.writesFiles ? await misplacedFiles(dir) : [];
    if (misplaced.length && outcome.kind !== 'crash') outcome = { kind: 'defect', message: misplaced.join('; ') };
    return { mutation: result.mutation, outcome };
  } catch (e) {
    return { mutation: '(not reached)', outcome: { kind: 'defect', message: `the case itself failed: ${(e as Error).message}` } };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export const caseDir = (world: FuzzWorld, index: number | string) => path.join(world.scratch, 'cases', String(index));
