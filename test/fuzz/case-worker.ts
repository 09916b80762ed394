import { promises as fs } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { CaseReport } from './run-case.js';

export interface CaseRequest {
  readonly kind: string;
  readonly caseSeed: number;
  readonly index: number;
}

/** A worker thread with its own world (container, seeds, server); replaced when a case hangs or kills it. */
export class CaseWorker {
  private constructor(private readonly worker: Worker, private readonly scratch: string) {}

  static async start(scratch: string): Promise<CaseWorker> {
    await fs.mkdir(scratch, { recursive: true });
    // What libraries print while cases run (tfjs warnings on odd models) would bury the figures: dropped.
    const worker = new Worker(new URL('./case-worker-main.js', import.meta.url), { workerData: { scratch }, stdout: true, stderr: true });
    worker.stdout.resume();
    worker.stderr.resume();
    await new Promise<void>((resolve, reject) => {
      const onError = (e: unknown) => reject(new Error(`the fuzz worker did not start: ${(e as Error).message ?? e}`));
      worker.once('error', onError);
      worker.once('message', (m) => { worker.off('error', onError); if (m === 'ready') resolve(); else reject(new Error(`the fuzz worker said ${String(m)}`)); });
    });
    return new CaseWorker(worker, scratch);
  }

  /** The case's report, or a hang after `timeMs`, or a crash when the thread dies. */
  run(request: CaseRequest, timeMs: number): Promise<CaseReport & { readonly lost?: boolean }> {
    let mutation = '(not reached)';
    return new Promise((resolve) => {
      const done = (report: CaseReport & { lost?: boolean }) => {
        clearTimeout(timer);
        this.worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        resolve(report);
      };
      const onMessage = (m: CaseReport | { mutation: string }) => { if ('outcome' in m) done(m); else ({ mutation } = m); };
      const onError = (e: Error) => done({ mutation, outcome: { kind: 'crash', message: `${e.constructor.name}: ${e.message}` }, lost: true });
      const onExit = (code: number) => done({ mutation, outcome: { kind: 'crash', message: `the thread exited with code ${code}` }, lost: true });
      const timer = setTimeout(() => done({ mutation, outcome: { kind: 'hang', message: `no outcome after ${timeMs} ms` }, lost: true }), timeMs);
      this.worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      this.worker.postMessage(request);
    });
  }

  /** Stops the thread, however busy, and removes its files. */
  async terminate(): Promise<void> {
    await this.worker.terminate();
    await fs.rm(this.scratch, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await new Promise((resolve) => this.worker.once('exit', resolve));
    await fs.rm(this.scratch, { recursive: true, force: true });
  }
}
