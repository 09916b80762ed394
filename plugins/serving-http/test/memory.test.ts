import { expect } from 'chai';
import { fork, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { configuredContainer, exportModel, tempRepository } from './support/models.js';

const MB = 1024 * 1024;
const ROWS = 2000;
const WIDTH = 1024;
/**
 * The bounds this file holds the server to, for a request of 2,048,000 float32 values
 * (a 7.0 MiB JSON body, 7.8 MiB of tensor): once answered and collected, RSS is back within
 * SETTLED_BOUND of where it was; while it runs, RSS never rises more than PEAK_BOUND above it;
 * repeating it (after the first, which sizes the heap) does not grow RSS by more than REPEAT_BOUND.
 */
const SETTLED_BOUND = 48 * MB;
const PEAK_BOUND = 192 * MB;
const REPEAT_BOUND = 16 * MB;

/** A model with a wide input and one output: the request's size is all in its input. */
function wideModel(): tf.LayersModel {
  const x = tf.input({ shape: [WIDTH], name: 'x' });
  const y = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.constant({ value: 1 / WIDTH }), name: 'y' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}

/** RSS of a server in its own process (test/support/memory-server.ts): the client's memory does not count. */
describe('memory a large request leaves behind (server in a child process)', function () {
  this.timeout(120_000);
  let repo: string;
  let child: ChildProcess;
  let url: string;
  const ask = <T>(message?: string): Promise<T> => new Promise((resolve) => {
    child.once('message', (m) => resolve(m as T));
    if (message) child.send(message);
  });
  const rss = async () => (await ask<{ rss: number }>('rss')).rss;
  const post = async (body: string) => {
    const r = await fetch(`${url}/v1/models/wide:predict`, { method: 'POST', body });
    return { status: r.status, body: await r.json() as { predictions: number[][] } };
  };
  // Row i holds (i % 5) / 4 everywhere (short in JSON); the model averages a row, so its prediction is that value.
  const rowValue = (i: number) => (i % 5) / 4;
  const body = `{"instances":[${Array.from({ length: ROWS }, (_, i) => `[${Array(WIDTH).fill(rowValue(i)).join(',')}]`).join(',')}]}`;

  before(async () => {
    const container = await configuredContainer();
    repo = await tempRepository('memory');
    await exportModel(container, wideModel(), repo, 'wide');
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'memory-server.js');
    const limits = { maxBodyBytes: 16 * MB, maxBodyBytesInFlight: 12 * MB };
    child = fork(script, [repo, JSON.stringify(limits)], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    url = (await ask<{ url: string }>()).url;
    expect((await post(JSON.stringify({ instances: [Array(WIDTH).fill(1)] }))).status).to.equal(200);
  });
  after(async () => {
    child?.send('close');
    await new Promise((r) => child?.once('exit', r));
    await fs.rm(repo, { recursive: true, force: true });
  });

  it(`returns RSS to within ${SETTLED_BOUND / MB} MiB after a ${ROWS}×${WIDTH} request, never ${PEAK_BOUND / MB} MiB above, and keeps nothing per request`, async () => {
    expect(body.length).to.be.within(4 * MB, 12 * MB);
    const before = await rss();
    const settled: number[] = [];
    for (let i = 0; i < 3; i++) {
      await ask('reset');
      const r = await post(body);
      expect(r.status).to.equal(200);
      expect(r.body.predictions).to.have.length(ROWS);
      for (const row of [0, 1, 3, 4, ROWS - 1]) expect(r.body.predictions[row]![0]).to.be.closeTo(rowValue(row), 1e-4);
      const peak = (await ask<{ peak: number }>('peak')).peak;
      settled.push(await rss());
      console.log(`      request ${i + 1}: RSS before ${(before / MB).toFixed(0)} MiB, peak +${((peak - before) / MB).toFixed(0)} MiB, settled +${((settled[i]! - before) / MB).toFixed(0)} MiB`);
      expect(peak - before).to.be.below(PEAK_BOUND);
      expect(settled[i]! - before).to.be.below(SETTLED_BOUND);
    }
    // The first request grows the heap to its working size; from the second on nothing more stays.
    expect(settled[2]! - settled[1]!).to.be.below(REPEAT_BOUND);
  });

  it('answers three large requests sent at once (bodies admitted one at a time, limits.maxBodyBytesInFlight) within the same bounds', async () => {
    const before = await rss();
    await ask('reset');
    const replies = await Promise.all([0, 1, 2].map(() => post(body)));
    expect(replies.map((r) => r.status)).to.deep.equal([200, 200, 200]);
    const peak = (await ask<{ peak: number }>('peak')).peak;
    const after = await rss();
    console.log(`      3 at once: RSS before ${(before / MB).toFixed(0)} MiB, peak +${((peak - before) / MB).toFixed(0)} MiB, settled +${((after - before) / MB).toFixed(0)} MiB`);
    expect(peak - before).to.be.below(PEAK_BOUND);
    expect(after - before).to.be.below(SETTLED_BOUND);
  });
});
