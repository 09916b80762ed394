// Load generator on loopback, bounded in count and time: throughput and p50/p99 latency of one
// model through HTTP (TF Serving REST :predict) vs calling the same Predictor in-process, with
// and without dynamic batching, at 1, 8 and 32 concurrent clients.
// Usage: npm run bench:serving [-- --requests 400 --seconds 20 --format tfjs]
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreServices, createContainer, initBackend, type TensorData } from '@modelport/core';
import { Registry } from '@modelport/registry';
import { startServer } from '@modelport/serving-http';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
const REQUESTS = Number(arg('requests') ?? 400);
const SECONDS = Number(arg('seconds') ?? 20);
const FORMAT = arg('format') ?? 'tfjs';
const CONCURRENCY = [1, 8, 32];

interface Figures { throughput: number; p50: number; p99: number; done: number }

/** Runs `call` REQUESTS times (or until SECONDS pass) from `clients` concurrent loops. */
async function load(clients: number, call: () => Promise<void>): Promise<Figures> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  let issued = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (issued < REQUESTS && performance.now() < deadline) {
      issued++;
      const s = performance.now();
      await call();
      latencies.push(performance.now() - s);
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
  return { throughput: latencies.length / seconds, p50: q(0.5), p99: q(0.99), done: latencies.length };
}

async function main(): Promise<void> {
  const backend = await initBackend();
  const repo = await fs.mkdtemp(path.join(os.tmpdir(), 'mp-bench-serving-'));
  const container = createContainer();
  await new Registry({ cwd: root, container }).configure({ presets: ['default'] });
  const { pipeline, hooks } = coreServices(container);
  const summary = await pipeline.run({ source: { format: 'tfjs', path: path.join(root, 'examples', 'tiny-cnn', 'model.json') }, options: { targets: [FORMAT], out: repo, validate: false } });
  const image = Array.from({ length: 32 }, (_, y) => Array.from({ length: 32 }, (_, x) => [x / 32, y / 32, 0.5]));
  const body = JSON.stringify({ instances: [image] });
  const tensor: TensorData = { dtype: 'float32', shape: [1, 32, 32, 3], data: Float32Array.from(image.flat(2)) };

  console.log(`# bench/serving.ts — ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, tfjs ${backend}; model examples/tiny-cnn as ${FORMAT}; ${REQUESTS} requests (≤ ${SECONDS} s) per row`);
  console.log('path | batching | clients | req/s | p50 ms | p99 ms');
  const predictor = (await hooks.serve.for(summary.artifacts[0]!.format).promise({ format: summary.artifacts[0]!.format, path: path.join(summary.dir, summary.artifacts[0]!.path), logger: { debug() {}, info() {}, warn() {} } }))!;
  for (const clients of CONCURRENCY) {
    const f = await load(clients, async () => { await predictor.predict({ image: tensor }); });
    console.log(`in-process Predictor | — | ${clients} | ${f.throughput.toFixed(0)} | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)}`);
  }
  await predictor.dispose();
  for (const batching of [false, true]) {
    const server = await startServer({ repository: repo, port: 0, pollSeconds: 0, batching: { enabled: batching, maxBatchSize: 32, maxQueueDelayMs: 2 }, container });
    const url = `${server.url}/v1/models/${summary.model}:predict`;
    for (const clients of CONCURRENCY) {
      const f = await load(clients, async () => {
        const r = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
        if (r.status !== 200) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
        await r.arrayBuffer();
      });
      console.log(`HTTP :predict | ${batching ? 'on (≤32, 2 ms)' : 'off'} | ${clients} | ${f.throughput.toFixed(0)} | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)}`);
    }
    await server.close();
  }
  await fs.rm(repo, { recursive: true, force: true });
}

await main();
