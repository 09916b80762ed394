import { promises as fs } from 'node:fs';
import path from 'node:path';
import { coreServices, definePlugin, type Predictor, type Signature, type TensorData } from '@modelport/core';
import type { Container } from './models.js';

const NAME = 'test-fake-runtimes';

/** Rows of each call a fake runtime received, to see batching from the runtime's side. */
export const calls: { format: string; rows: number }[] = [];

const ECHO: Signature = {
  inputs: { payload_bytes: { name: 'payload:0', dtype: 'string', shape: [-1] } },
  outputs: { echo_bytes: { name: 'echo:0', dtype: 'string', shape: [-1] }, length: { name: 'length:0', dtype: 'int32', shape: [-1] } },
};
const SLOW: Signature = {
  inputs: { x: { name: 'x:0', dtype: 'float32', shape: [-1, 2] } },
  outputs: { y: { name: 'y:0', dtype: 'float32', shape: [-1, 2] } },
};

/** Echoes string tensors back (bytes stay bytes): tests b64 in and out without an image model. */
function echoPredictor(): Predictor {
  return {
    format: 'echo', signatures: { serving_default: ECHO },
    async predict(inputs) {
      const values = inputs.payload_bytes!.data as readonly (string | Uint8Array)[];
      calls.push({ format: 'echo', rows: values.length });
      const bytes = values.map((v) => (typeof v === 'string' ? new TextEncoder().encode(v) : v));
      return {
        echo_bytes: { dtype: 'string', shape: [values.length], data: bytes as unknown as string[] },
        length: { dtype: 'int32', shape: [values.length], data: Int32Array.from(bytes, (b) => b.length) },
      };
    },
    async dispose() {},
  };
}

/** y = 2x after `delayMs`: a runtime slow enough to test deadlines and batching. */
function slowPredictor(delayMs: number): Predictor {
  return {
    format: 'slow', signatures: { serving_default: SLOW },
    async predict(inputs) {
      const x = inputs.x as TensorData;
      calls.push({ format: 'slow', rows: x.shape[0]! });
      await new Promise((r) => setTimeout(r, delayMs));
      return { y: { dtype: 'float32', shape: [...x.shape], data: Float32Array.from(x.data as Float32Array, (v) => v * 2) } };
    },
    async dispose() {},
  };
}

/** Fails every request with the message a runtime gives when a file it needs is gone: the file's absolute path. */
function brokenPredictor(file: string): Predictor {
  return {
    format: 'broken', signatures: { serving_default: SLOW },
    async predict() {
      throw new Error(`ENOENT: no such file or directory, open '${path.join(path.dirname(file), 'weights.bin')}' (while reading ${path.join('/opt', 'runtime', 'cache.bin')})`);
    },
    async dispose() {},
  };
}

/** A runtime plugin of the test, applied like any other: it taps `serve` for "echo", "slow" and "broken". */
export async function applyFakeRuntimes(container: Container): Promise<void> {
  await coreServices(container).host.apply(definePlugin({
    name: NAME, version: '0.0.0',
    apply(hooks) {
      hooks.serve.for('echo').tapPromise(NAME, async () => echoPredictor());
      hooks.serve.for('slow').tapPromise(NAME, async (request) => slowPredictor(Number(request.options?.delayMs ?? 0)));
      hooks.serve.for('broken').tapPromise(NAME, async (request) => brokenPredictor(request.path));
    },
  }));
}

/** A version folder with an export.json naming a fake format, as an exporter for it would write. */
export async function writeFakeVersion(repo: string, model: string, version: number, format: 'echo' | 'slow' | 'broken'): Promise<string> {
  const dir = path.join(repo, model, String(version));
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'model.txt'), format);
  await fs.writeFile(path.join(dir, 'export.json'), JSON.stringify({
    model, version, signatures: { serving_default: format === 'echo' ? ECHO : SLOW },
    targets: [{ target: format, format, plugin: NAME, path: 'model.txt', files: ['model.txt'] }],
  }));
  return dir;
}
