import type { Predictor, Signature, TensorData } from '@modelport/core';
import { ServingError } from './errors.js';
import type { BatchingOptions } from './options.js';
import { concatRows, rowsOf, sliceRows } from './tensor-batch.js';
import { ownValue } from './own.js';

type Outputs = Record<string, TensorData>;

interface Waiting {
  readonly inputs: Readonly<Record<string, TensorData>>;
  readonly rows: number;
  readonly signal?: AbortSignal;
  resolve(outputs: Outputs): void;
  reject(error: unknown): void;
}

interface Queue {
  readonly signature: string;
  readonly entries: Waiting[];
  rows: number;
  timer?: NodeJS.Timeout;
}

/**
 * Dynamic batching for one model version: requests with the same signature and the same inner
 * shapes wait up to maxQueueDelayMs for others, are stacked along axis 0 into one run of at most
 * maxBatchSize rows, and get their own rows of each output back. Runs are one at a time, so a
 * batch forms while the previous one runs. A request that cannot be batched runs alone.
 */
export class DynamicBatcher {
  private readonly queues = new Map<string, Queue>();
  private running: Promise<unknown> = Promise.resolve();
  private enqueued = 0;

  constructor(
    private readonly predictor: Predictor,
    private readonly options: BatchingOptions,
    private readonly onBatch: (rows: number) => void,
  ) {}

  predict(inputs: Readonly<Record<string, TensorData>>, signature: string, signal?: AbortSignal): Promise<Outputs> {
    const sig = ownValue(this.predictor.signatures, signature);
    const rows = sig ? batchRows(sig, inputs) : undefined;
    if (rows === undefined || rows > this.options.maxBatchSize) return this.run(signature, [inputs], [rows ?? 1]).then((r) => r[0]!);
    if (this.enqueued >= this.options.maxEnqueued) {
      return Promise.reject(new ServingError('UNAVAILABLE', `the batching queue is full (${this.options.maxEnqueued} requests waiting); retry later`));
    }
    const key = batchKey(signature, inputs);
    return new Promise<Outputs>((resolve, reject) => {
      let queue = this.queues.get(key);
      if (!queue) this.queues.set(key, queue = { signature, entries: [], rows: 0 });
      queue.entries.push({ inputs, rows, resolve, reject, ...(signal ? { signal } : {}) });
      queue.rows += rows;
      this.enqueued++;
      if (queue.rows >= this.options.maxBatchSize) this.flush(key);
      else queue.timer ??= setTimeout(() => this.flush(key), this.options.maxQueueDelayMs);
    });
  }

  /** Takes up to maxBatchSize rows off a queue and chains their run after the current one. */
  private flush(key: string): void {
    const queue = this.queues.get(key);
    if (!queue) return;
    clearTimeout(queue.timer);
    queue.timer = undefined;
    const batch: Waiting[] = [];
    let rows = 0;
    while (queue.entries.length && rows + queue.entries[0]!.rows <= this.options.maxBatchSize) {
      const entry = queue.entries.shift()!;
      this.enqueued--;
      queue.rows -= entry.rows;
      if (entry.signal?.aborted) continue; // its client has been answered already (deadline)
      batch.push(entry);
      rows += entry.rows;
    }
    if (queue.entries.length === 0) this.queues.delete(key);
    else if (queue.rows >= this.options.maxBatchSize) setImmediate(() => this.flush(key));
    else queue.timer = setTimeout(() => this.flush(key), this.options.maxQueueDelayMs);
    if (batch.length === 0) return;
    this.running = this.running.then(() => this.runBatch(queue.signature, batch));
  }

  /**
   * Runs a batch and hands each request its result. When the stacked run fails, each request is
   * run alone, so that one client's bad input (an image that does not decode) fails only that client.
   */
  private async runBatch(signature: string, batch: readonly Waiting[]): Promise<void> {
    try {
      const outputs = await this.run(signature, batch.map((e) => e.inputs), batch.map((e) => e.rows));
      batch.forEach((e, i) => e.resolve(outputs[i]!));
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
      }
      for (const e of batch) {
        await this.run(signature, [e.inputs], [e.rows]).then((r) => e.resolve(r[0]!), (err) => e.reject(err));
      }
    }
  }

  /** One runtime call over the stacked requests; each gets its rows of every output back. */
  private async run(signature: string, parts: readonly Readonly<Record<string, TensorData>>[], rows: readonly number[]): Promise<Outputs[]> {
    if (parts.length === 1) {
      this.onBatch(rows[0]!);
      return [await this.predictor.predict(parts[0]!, signature)];
    }
    const total = rows.reduce((a, b) => a + b, 0);
    const stacked = Object.fromEntries(Object.keys(parts[0]!).map((name) => [name, concatRows(parts.map((p) => p[name]!))]));
    const outputs = await this.predictor.predict(stacked, signature);
    if (!Object.values(outputs).every((t) => rowsOf(t) === total)) {
      // Some output is not per row (a summary over the batch): the requests must run one by one.
      return Promise.all(parts.map((p, i) => this.run(signature, [p], [rows[i]!]).then((r) => r[0]!)));
    }
    this.onBatch(total);
    let start = 0;
    return rows.map((n) => {
      const mine = Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, sliceRows(t, start, n)]));
      start += n;
      return mine;
    });
  }
}

/**
 * The rows a request adds to a batch, when it can be batched: every input of the signature has a
 * dynamic first dimension, and the request gives the same number of rows for each.
 */
function batchRows(sig: Signature, inputs: Readonly<Record<string, TensorData>>): number | undefined {
  let rows: number | undefined;
  for (const [name, t] of Object.entries(inputs)) {
    const shape = ownValue(sig.inputs, name)?.shape;
    if (!shape || shape.length === 0 || shape[0]! >= 0 || t.shape.length === 0) return undefined;
    if (rows !== undefined && t.shape[0] !== rows) return undefined;
    rows = t.shape[0];
  }
  return rows !== undefined && rows > 0 ? rows : undefined;
}

function batchKey(signature: string, inputs: Readonly<Record<string, TensorData>>): string {
  return [signature, ...Object.keys(inputs).sort().map((n) => `${n}:${inputs[n]!.dtype}:${inputs[n]!.shape.slice(1).join('x')}`)].join('|');
}
