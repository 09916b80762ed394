import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { listTree, scratchDir, writeTree } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

/** A one-Relu graph model, with `op` replaceable to make an unknown one. */
function graphModelJson(ops: string[] = ['Relu']) {
  return {
    format: 'graph-model', generatedBy: 'test', convertedBy: null,
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '1' }, { size: '4' }] } } } },
        { name: 'k', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '4' }] } } } } },
        { name: 'mul', op: 'Mul', input: ['x', 'k'], attr: { T: { type: 'DT_FLOAT' } } },
        ...ops.map((op, i) => ({ name: `act${i}`, op, input: [i === 0 ? 'mul' : `act${i - 1}`], attr: { T: { type: 'DT_FLOAT' } } })),
      ],
      library: {}, versions: {},
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'k', shape: [4], dtype: 'float32' }] }],
  };
}
const WEIGHTS = Buffer.from(new Float32Array([1, -2, 3, -4]).buffer);

/**
 * Every bad input gives one clear line naming what and where, a non-zero exit code, and leaves
 * nothing in the output repository (not even an empty model folder).
 */
describe('CLI: bad input', function () {
  this.timeout(60_000);
  let dir: string;
  let out: string;
  beforeEach(async () => { dir = await scratchDir('bad'); out = path.join(dir, 'out'); });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  async function expectFailure(args: string[], message: RegExp, cwd?: string): Promise<string> {
    const r = await runCli(args, cwd ? { cwd } : {});
    expect(r.code, r.stdout).to.not.equal(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^error: /).and.match(message);
    expect(r.stderr).to.not.match(/\n\s+at /); // no stack trace without --verbose
    expect(await listTree(out)).to.deep.equal([]);
    return lines[0]!;
  }

  it('a missing model.json', async () => {
    await expectFailure(['export', path.join(dir, 'nope.json'), '--out', out], /file ".*nope\.json": no such file/);
  });

  it('a garbled model.json', async () => {
    await writeTree(dir, { 'model.json': '{"format": "graph-model", "modelTop' });
    await expectFailure(['export', path.join(dir, 'model.json'), '--out', out], /file ".*model\.json": not valid JSON/);
  });

  it('a weight file cut short', async () => {
    await writeTree(dir, { 'm/model.json': graphModelJson() });
    await fs.writeFile(path.join(dir, 'm', 'weights.bin'), WEIGHTS.subarray(0, 10));
    await expectFailure(['export', path.join(dir, 'm', 'model.json'), '--out', out], /weights\.bin.*cut short: weight "k" needs bytes up to 16, the shards have 10/);
  });

  it('a missing weight file', async () => {
    await writeTree(dir, { 'm/model.json': graphModelJson() });
    await expectFailure(['export', path.join(dir, 'm', 'model.json'), '--out', out], /weight file "weights\.bin" named in weightsManifest is missing/);
  });

  it('unknown ops, all listed at once with node names', async () => {
    await writeTree(dir, { 'm/model.json': graphModelJson(['FancyOp', 'Relu', 'OtherOp']) });
    await fs.writeFile(path.join(dir, 'm', 'weights.bin'), WEIGHTS);
    const line = await expectFailure(['export', path.join(dir, 'm', 'model.json'), '--out', out], /\[plugin @modelport\/exporter-tfjs\] writeArtifact\[tfjs\]/);
    expect(line).to.match(/2 node\(s\) use ops that tfjs cannot express: "act0" \(FancyOp\), "act2" \(OtherOp\)/);
  });

  it('an unknown target', async () => {
    await expectFailure(['export', EXAMPLE_MODEL, '--to', 'coreml', '--out', out], /no plugin provides target "coreml"/);
  });

  it('an option that fails its schema', async () => {
    await expectFailure(['export', EXAMPLE_MODEL, '--quantize', 'int4', '--out', out], /--quantize "int4": not a mode; the modes are float16, uint8, uint16, dynamic, int8, int8-full/);
    await expectFailure(['export', EXAMPLE_MODEL, '--shard-size', '12', '--out', out], /\[plugin @modelport\/exporter-tfjs\].*"shardSizeBytes" must be >= 1024/);
  });

  it('input shapes that do not fit the model, each refused before anything is written', async () => {
    await expectFailure(['export', EXAMPLE_MODEL, '--out', out, '--input-shape', 'picture=1,32,32,3'], /no input "picture"; its inputs are image/);
    await expectFailure(['export', EXAMPLE_MODEL, '--out', out, '--input-shape', '1,32,32'], /rank 4 \[-1,32,32,3\], the given shape \[1,32,32\] has rank 3/);
    await expectFailure(['export', EXAMPLE_MODEL, '--out', out, '--input-shape', 'image=1,64,32,3'], /axis 1 is fixed to 32 by the model \[-1,32,32,3\]; 64 contradicts it/);
    await expectFailure(['export', EXAMPLE_MODEL, '--out', out, '--input-shape', 'image=1,-3,32,3'], /whole numbers ≥ 0, or -1 to keep one dynamic/);
    await expectFailure(['export', EXAMPLE_MODEL, '--out', out, '--input-shape', 'image=1,3.5,32,3'], /got "3\.5"/);
  });

  it('input values that do not fit the model, each naming the input, the value and where it was set', async () => {
    await expectFailure(['export', EXAMPLE_MODEL, '--out', out, '--input-value', 'picture=0.5'], /input value picture=0\.5 \(--input-value on the command line\): the model has no input "picture"; its inputs are image/);
    await expectFailure(['export', EXAMPLE_MODEL, '--out', out, '--input-shape', '1,32,32,3', '--input-value', 'image=1,2,3'], /input "image": the input's shape \[1,32,32,3\] holds 3072 value\(s\), 3 given/);
    await expectFailure(['export', EXAMPLE_MODEL, '--out', out, '--input-value', 'image=half'], /--input-value "image=half": the value must be a number or a comma list of numbers \(got "half"\)/);
    await writeTree(dir, { 'modelport.config.json': { presets: ['default'], export: { inputValues: { ratio: 0.5 } } } });
    await expectFailure(['export', EXAMPLE_MODEL, '--out', out, '--config', path.join(dir, 'modelport.config.json')], /input value ratio=0\.5 \(export\.inputValues in .*modelport\.config\.json\): the model has no input "ratio"/);
  });

  it('a .tflite cut short, and a file of another format, given to inspect', async () => {
    const exported = await runCli(['export', EXAMPLE_MODEL, '--to', 'tflite', '--out', path.join(dir, 'good'), '--json', '--no-validate']);
    expect(exported.code, exported.stderr).to.equal(0);
    const bytes = await fs.readFile(path.join(JSON.parse(exported.stdout).dir, 'model.tflite'));
    await fs.writeFile(path.join(dir, 'cut.tflite'), bytes.subarray(0, Math.floor(bytes.length / 3)));
    await expectFailure(['inspect', path.join(dir, 'cut.tflite')], /file ".*cut\.tflite": the TFLite model is cut short or corrupt/);
    await fs.copyFile(EXAMPLE_MODEL, path.join(dir, 'json.tflite'));
    await expectFailure(['inspect', path.join(dir, 'json.tflite')], /file ".*json\.tflite": not a TFLite model: no "TFL3" file identifier/);
    await expectFailure(['inspect', path.join(dir, 'missing.tflite')], /file ".*missing\.tflite": no such file/);
  });

  it('ops TFLite has no builtin for: every node listed at once, nothing written', async () => {
    await writeTree(dir, { 'm/model.json': graphModelJson(['FancyOp', 'Relu', 'OtherOp']) });
    await fs.writeFile(path.join(dir, 'm', 'weights.bin'), WEIGHTS);
    const line = await expectFailure(['export', path.join(dir, 'm', 'model.json'), '--to', 'tflite', '--out', out], /\[plugin @modelport\/exporter-tflite\] writeArtifact\[tflite\]/);
    expect(line).to.match(/2 node\(s\) use ops that TFLite builtins cannot express: "act0" \(FancyOp\), "act2" \(OtherOp\)/);
  });

  it('an export that fails validation leaves earlier versions untouched and adds none', async () => {
    const ok = await runCli(['export', EXAMPLE_MODEL, '--out', out, '--no-progress']);
    expect(ok.code, ok.stderr).to.equal(0);
    const before = await listTree(out);
    const r = await runCli(['export', EXAMPLE_MODEL, '--out', out, '--quantize', 'uint8', '--tolerance', '1e-9']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/the exported model differs from the source: tfjs output "classes": max \|Δ\|/);
    expect(await listTree(out)).to.deep.equal(before);
  });
});
