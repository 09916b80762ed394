// The worker thread that runs cases: a case that never yields (a synchronous loop) or kills its
// thread is then a hang or a crash the runner counts, not the end of the run.
import { parentPort, workerData } from 'node:worker_threads';
import { CASE_KINDS } from './case-kinds.js';
import { openFuzzWorld } from './fuzz-world.js';
import { caseDir, runCase } from './run-case.js';
import type { CaseRequest } from './case-worker.js';

const world = await openFuzzWorld({ scratch: (workerData as { scratch: string }).scratch });
let escaped: string[] = [];
// An error nobody awaits, thrown while a case runs, is a crash of the process had it been the CLI.
const onEscape = (e: unknown) => { escaped.push(e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)); };
process.on('uncaughtException', onEscape);
process.on('unhandledRejection', onEscape);

parentPort!.on('message', async (request: CaseRequest | 'close') => {
  if (request === 'close') { await world.close(); process.exit(0); }
  escaped = [];
  const kind = CASE_KINDS.find((k) => k.name === request.kind)!;
  const report = await runCase(world, kind, request.caseSeed, caseDir(world, request.index), (mutation) => parentPort!.postMessage({ mutation }));
  await new Promise((resolve) => setImmediate(resolve)); // let escaped errors of this case surface
  parentPort!.postMessage(escaped.length ? { ...report, outcome: { kind: 'crash', message: escaped[0]! } } : report);
});
parentPort!.postMessage('ready');
