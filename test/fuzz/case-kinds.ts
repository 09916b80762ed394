import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { mutateBytes, type MutatedBytes } from './byte-mutations.js';
import { mutateFlatbuffer } from './flatbuffer-mutations.js';
import type { FuzzWorld } from './fuzz-world.js';
import { fuzzRequest } from './http-requests.js';
import { garbleJsonText, mutateJson, type Json } from './json-mutations.js';
import { classifyError, internalMessage, type Outcome } from './outcome.js';
import { mutateProtobuf } from './protobuf-mutations.js';
import type { SeededRandom } from './random.js';

/** What a case did: the mutation (to reproduce it) and the outcome of each step it ran. */
export interface CaseResult {
  readonly mutation: string;
  readonly steps: readonly { readonly step: string; readonly outcome: Outcome }[];
}

export interface CaseKind {
  readonly name: string;
  /** Whether the case writes files: the runner then checks its folder for files outside in/ and out/ and partial versions. */
  readonly writesFiles: boolean;
  /** `note` is told the mutation before any step runs: a case that never ends is still reproducible. */
  run(world: FuzzWorld, rng: SeededRandom, dir: string, note: (mutation: string) => void): Promise<CaseResult>;
}

async function step(name: string, body: () => Promise<unknown>): Promise<{ step: string; outcome: Outcome }> {
  try {
    await body();
    return { step: name, outcome: { kind: 'success' } };
  } catch (e) {
    return { step: name, outcome: classifyError(e) };
  }
}

async function write(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, data);
}

/** A model.json and its weights in `dir/in`, then `inspect` and `export --to tfjs,onnx,tflite` as the CLI runs them. */
async function describeAndExportTfjs(world: FuzzWorld, dir: string, modelJson: string, weights: Uint8Array): Promise<CaseResult['steps']> {
  const file = path.join(dir, 'in', 'model.json');
  await write(file, modelJson);
  await write(path.join(dir, 'in', 'weights.bin'), weights);
  return [
    await step('inspect', () => world.describe(file)),
    await step('export', () => world.exportModel({ format: 'tfjs', path: file, name: 'model' }, path.join(dir, 'out'), ['tfjs', 'onnx', 'tflite'])),
  ];
}

const modelJson: CaseKind = {
  name: 'model.json', writesFiles: true,
  async run(world, rng, dir, note) {
    if (rng.chance(0.1)) {
      const garbled = garbleJsonText(world.seeds.modelJson, rng);
      note(garbled.description);
      return { mutation: garbled.description, steps: await describeAndExportTfjs(world, dir, garbled.text, world.seeds.weights) };
    }
    const doc = JSON.parse(world.seeds.modelJson) as Json;
    const mutations = mutateJson(doc, rng);
    note(mutations.join('; '));
    return { mutation: mutations.join('; '), steps: await describeAndExportTfjs(world, dir, JSON.stringify(doc), world.seeds.weights) };
  },
};

const weightsBin: CaseKind = {
  name: 'weights.bin', writesFiles: true,
  async run(world, rng, dir, note) {
    const mutated = mutateBytes(world.seeds.weights, rng);
    note(mutated.description);
    return { mutation: mutated.description, steps: await describeAndExportTfjs(world, dir, world.seeds.modelJson, mutated.bytes) };
  },
};

const tflite: CaseKind = {
  name: '.tflite', writesFiles: true,
  async run(world, rng, dir, note) {
    const mutated = rng.chance(0.6) ? mutateFlatbuffer(world.seeds.tflite, rng) : mutateBytes(world.seeds.tflite, rng);
    note(mutated.description);
    const file = path.join(dir, 'in', 'model.tflite');
    await write(file, mutated.bytes);
    return { mutation: mutated.description, steps: [await step('inspect', () => world.describe(file))] };
  },
};

const onnx: CaseKind = {
  name: '.onnx', writesFiles: true,
  async run(world, rng, dir, note) {
    const mutated = (rng.chance(0.6) && mutateProtobuf(world.seeds.onnx, rng)) || mutateBytes(world.seeds.onnx, rng);
    note(mutated.description);
    const file = path.join(dir, 'in', 'model.onnx');
    await write(file, mutated.bytes);
    return { mutation: mutated.description, steps: [await step('inspect', () => world.describe(file))] };
  },
};

/** A TensorFlow-written SavedModel with one file mutated: saved_model.pb, or a file of its variables/ bundle. */
const savedModel: CaseKind = {
  name: 'SavedModel', writesFiles: true,
  async run(world, rng, dir, note) {
    const fixture = rng.pick(world.savedModels);
    const copy = path.join(dir, 'in', 'saved_model');
    await fs.cp(fixture, copy, { recursive: true });
    const files = ['saved_model.pb', ...(await fs.readdir(path.join(copy, 'variables')).catch(() => [])).map((f) => `variables/${f}`)];
    const target = rng.chance(0.5) ? 'saved_model.pb' : rng.pick(files);
    const original = new Uint8Array(await fs.readFile(path.join(copy, target)));
    const mutated: MutatedBytes = (rng.chance(0.6) && original.length && !target.includes('.data-') && mutateProtobuf(original, rng)) || mutateBytes(original, rng);
    await write(path.join(copy, target), mutated.bytes);
    const mutation = `${path.basename(path.dirname(fixture))}/${target}: ${mutated.description}`;
    note(mutation);
    return {
      mutation,
      steps: [
        await step('inspect', () => world.describe(copy)),
        await step('export', () => world.exportModel({ format: 'savedmodel', path: copy, name: 'model' }, path.join(dir, 'out'), ['tfjs'])),
      ],
    };
  },
};

interface Reply { readonly status: number; readonly contentType: string; readonly text: string }

function send(base: string, request: { method: string; path: string; contentType?: string; body?: string }): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method: request.method, path: request.path, headers: request.contentType ? { 'content-type': request.contentType } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text }));
    });
    req.on('error', reject);
    req.end(request.body);
  });
}

/** 2xx is success; 4xx with a JSON body whose error speaks to a user is clear; anything else is a defect. */
export function classifyReply(reply: Reply): Outcome {
  if (reply.status >= 200 && reply.status < 300) return { kind: 'success' };
  let body: { error?: unknown } | undefined;
  try { body = JSON.parse(reply.text); } catch { /* classified below */ }
  const error = typeof body?.error === 'string' ? body.error : undefined;
  if (reply.status >= 500) return { kind: 'defect', message: `HTTP ${reply.status}: ${error ?? reply.text.slice(0, 200)}` };
  if (reply.status < 400) return { kind: 'defect', message: `HTTP ${reply.status}` };
  if (!error) return { kind: 'defect', message: `HTTP ${reply.status} without a JSON error: ${reply.text.slice(0, 120)}` };
  if (internalMessage(error)) return { kind: 'defect', message: `HTTP ${reply.status} with an internal message: ${error}` };
  return { kind: 'clear', message: `HTTP ${reply.status}: ${error}` };
}

function httpKind(protocol: 'tf-serving' | 'kserve'): CaseKind {
  return {
    name: protocol === 'tf-serving' ? 'HTTP TF Serving' : 'HTTP KServe v2', writesFiles: false,
    async run(world, rng, _dir, note) {
      const request = fuzzRequest(protocol, world.served, rng);
      const mutation = `${request.method} ${request.path.slice(0, 80)}: ${request.description}`;
      note(mutation);
      let outcome: Outcome;
      try {
        outcome = classifyReply(await send(world.server.url, request));
      } catch (e) {
        // The server closed the connection or is gone: the process may have crashed.
        outcome = { kind: 'crash', message: `request failed: ${(e as Error).message}` };
      }
      return { mutation, steps: [{ step: 'request', outcome }] };
    },
  };
}

export const CASE_KINDS: readonly CaseKind[] = [modelJson, weightsBin, tflite, onnx, savedModel, httpKind('tf-serving'), httpKind('kserve')];
