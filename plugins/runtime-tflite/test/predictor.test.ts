import { promises as fs } from 'node:fs';
import { getGlobalLiteRt } from '@litertjs/core';
import { expect } from 'chai';
import { ARTIFACT_DESCRIBERS, contributionsTo, coreServices, createContainer, ModelLoadError, ModelportError, silentLogger } from '@modelport/core';
import { describeTflite, loadTflitePredictor, runtimeTflite } from '../src/index.js';
import { liteRtInstance } from '../src/litert-instance.js';
import { gatherAddModel, tempFile } from './fixtures.js';

const x = { dtype: 'float32' as const, shape: [4], data: Float32Array.of(1, 2, 3, 4) };
const indices = { dtype: 'int32' as const, shape: [2], data: Int32Array.of(3, 0) };

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(() => { throw new Error('expected a rejection'); }, (e: Error) => e);
}

describe('runtime-tflite: predictions in LiteRT.js', () => {
  let file: string;
  before(async () => { file = await tempFile('fixture.tflite', gatherAddModel()); });

  it('runs each signature by key and returns outputs by name', async () => {
    const p = await loadTflitePredictor(file, silentLogger);
    try {
      expect(p.format).to.equal('tflite');
      expect(Object.keys(p.signatures)).to.deep.equal(['serving_default', 'gathered']);
      expect(p.signatures.serving_default!.inputs.indices).to.deep.include({ dtype: 'int32', shape: [2] });
      const y = await p.predict({ x, indices });
      expect(y.y).to.deep.include({ dtype: 'float32', shape: [2] });
      expect(Array.from(y.y!.data as Float32Array)).to.deep.equal([14, 21]);
      const g = await p.predict({ x, indices }, 'gathered');
      expect(Array.from(g.g!.data as Float32Array)).to.deep.equal([4, 1]);
    } finally {
      await p.dispose();
    }
  });

  it('converts integer inputs of other widths (int64) to the model\'s int32', async () => {
    const p = await loadTflitePredictor(file, silentLogger);
    try {
      const y = await p.predict({ x, indices: { dtype: 'int64', shape: [2], data: BigInt64Array.of(1n, 2n) } });
      expect(Array.from(y.y!.data as Float32Array)).to.deep.equal([12, 23]);
    } finally {
      await p.dispose();
    }
  });

  it('refuses bad inputs on our side, naming the input', async () => {
    const p = await loadTflitePredictor(file, silentLogger);
    try {
      expect((await rejection(p.predict({ x }))).message).to.match(/input "indices" is missing/);
      expect((await rejection(p.predict({ x: { ...x, shape: [1, 4] }, indices }))).message).to.match(/input "x" has shape \[1, 4\], the model takes \[4\]/);
      expect((await rejection(p.predict({ x, indices: { dtype: 'float32', shape: [2], data: Float32Array.of(0, 1) } }))).message).to.match(/input "indices" is float32; the model takes int32/);
      expect((await rejection(p.predict({ x, indices, extra: x }))).message).to.match(/unknown input\(s\) "extra"/);
      const err = await rejection(p.predict({ x, indices }, 'nope'));
      expect(err).to.be.instanceOf(ModelportError);
      expect(err.message).to.contain(file).and.match(/no signature "nope"; the model has serving_default, gathered/);
    } finally {
      await p.dispose();
    }
  });

  it('turns an error LiteRT only prints (gather index out of range) into an exception', async () => {
    const p = await loadTflitePredictor(file, silentLogger);
    try {
      const err = await rejection(p.predict({ x, indices: { dtype: 'int32', shape: [2], data: Int32Array.of(0, 9) } }));
      expect(err).to.be.instanceOf(ModelportError);
      expect(err.message).to.match(/gather index out of bounds/);
      expect(Array.from((await p.predict({ x, indices })).y!.data as Float32Array)).to.deep.equal([14, 21]);
    } finally {
      await p.dispose();
    }
  });

  it('loads a fresh runtime module after the module reports an Abort()', async () => {
    const p = await loadTflitePredictor(file, silentLogger);
    try {
      const before = liteRtInstance.generation;
      // The module's own abort hook (Module.onAbort), as Emscripten calls it when the wasm aborts.
      (getGlobalLiteRt().liteRtWasm as unknown as { onAbort(what: string): void }).onAbort('test abort');
      expect(Array.from((await p.predict({ x, indices })).y!.data as Float32Array)).to.deep.equal([14, 21]);
      expect(liteRtInstance.generation).to.equal(before + 1);
    } finally {
      await p.dispose();
    }
  });

  it('leaves no browser globals behind after loading', () => {
    expect('importScripts' in globalThis).to.equal(false);
    expect('self' in globalThis).to.equal(false);
  });

  it('is what the serve hook returns for tflite artifacts, and describes .tflite files for inspect', async () => {
    const container = createContainer();
    const { hooks, host } = coreServices(container);
    await host.apply(runtimeTflite);
    const p = await hooks.serve.for('tflite').promise({ format: 'tflite', path: file, logger: silentLogger });
    expect(p?.format).to.equal('tflite');
    await p?.dispose();
    const describers = contributionsTo(container, ARTIFACT_DESCRIBERS);
    expect(describers.map((c) => [c.plugin, c.value.format])).to.deep.equal([['@modelport/runtime-tflite', 'tflite']]);
    const described = await describers[0]!.value.describe(file);
    expect([described.ops, described.opUnit]).to.deep.equal([describeTflite(await fs.readFile(file)).ops, 'operators']);
  });
});

describe('runtime-tflite: files that are not TFLite models', () => {
  const good = gatherAddModel();
  const cases: [string, Uint8Array][] = [
    ['a truncated file', good.subarray(0, Math.floor(good.length / 2))],
    ['an empty file', new Uint8Array()],
    ['a foreign file (ONNX-like protobuf)', new Uint8Array([0x08, 0x07, 0x12, 0x04, 0x74, 0x65, 0x73, 0x74, 0x3a, 0x02, 0x00, 0x00])],
    ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) & 255)],
  ];
  for (const [label, bytes] of cases) {
    it(`gives a ModelLoadError naming the file for ${label}`, async () => {
      const file = await tempFile('broken.tflite', bytes);
      const err = await rejection(loadTflitePredictor(file, silentLogger));
      expect(err).to.be.instanceOf(ModelLoadError);
      expect((err as ModelLoadError).file).to.equal(file);
      expect(() => describeTflite(bytes, file)).to.throw(ModelLoadError, file);
      await fs.rm(file);
    });
  }
  it('names a missing file', async () => {
    const err = await rejection(loadTflitePredictor('/nonexistent/model.tflite', silentLogger));
    expect(err).to.be.instanceOf(ModelLoadError);
    expect(err.message).to.contain('/nonexistent/model.tflite');
  });
});
