import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { runCli } from '../support/cli.js';
import { listTree, scratchDir, writeTree } from '../support/fixtures.js';
import { CLI_BIN, EXAMPLE_MODEL, REPO_ROOT } from '../support/paths.js';

const DT_FLOAT = { type: 'DT_FLOAT' };
const shapeJson = (...dims: number[]) => ({ dim: dims.map((d) => ({ size: String(d) })) });
const constNode = (name: string, dtype: string, dims: number[]) => ({ name, op: 'Const', attr: { dtype: { type: dtype }, value: { tensor: { dtype, tensorShape: shapeJson(...dims) } } } });

/** x [1,4,4,1] * k [1], then whatever `extra` adds; the weights follow the manifest in order. */
function modelJson(extra: { nodes?: object[]; weights?: object[] } = {}) {
  return {
    format: 'graph-model', generatedBy: 'test', convertedBy: null,
    modelTopology: {
      node: [
        { name: 'x', op: 'Placeholder', attr: { dtype: DT_FLOAT, shape: { shape: shapeJson(1, 4, 4, 1) } } },
        constNode('k', 'DT_FLOAT', [1]),
        { name: 'mul', op: 'Mul', input: ['x', 'k'], attr: { T: DT_FLOAT } },
        ...(extra.nodes ?? []),
      ],
      library: {}, versions: {},
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [{ name: 'k', shape: [1], dtype: 'float32' }, ...(extra.weights ?? [])] }],
  };
}

const conv = (stride: string) => ({
  nodes: [constNode('f', 'DT_FLOAT', [1, 1, 1, 1]), {
    name: 'conv', op: 'Conv2D', input: ['mul', 'f'],
    attr: { T: DT_FLOAT, strides: { list: { i: ['1', stride, stride, '1'] } }, padding: { s: Buffer.from('VALID').toString('base64') }, dilations: { list: { i: ['1', '1', '1', '1'] } } },
  }],
  weights: [{ name: 'f', shape: [1, 1, 1, 1], dtype: 'float32' }],
});

/**
 * Hostile model files and command-line misuse: each gives one line naming the file, node, attr,
 * weight or path and what is wrong, never an internal JavaScript message, a stack or a hang.
 */
describe('CLI: hostile input', function () {
  this.timeout(60_000);
  let dir: string;
  let out: string;
  before(async () => { dir = await scratchDir('hostile'); out = path.join(dir, 'out'); });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  async function writeModel(name: string, json: object, weights: number[] | Buffer): Promise<string> {
    await writeTree(dir, { [`${name}/model.json`]: json });
    await fs.writeFile(path.join(dir, name, 'weights.bin'), Buffer.isBuffer(weights) ? weights : Buffer.from(new Float32Array(weights).buffer));
    return path.join(dir, name, 'model.json');
  }

  async function expectOneLine(args: string[], message: RegExp, options: { timeoutMs?: number } = {}): Promise<string> {
    const r = await runCli(args, options);
    expect(r.code, r.stderr).to.equal(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^error: /).and.match(message);
    expect(lines[0]).to.not.match(/Cannot read properties|is not iterable|undefined|memory access out of bounds|unexpected failure/);
    return lines[0]!;
  }

  it('malformed model files: the file and the weight, node or attribute are named before any runtime or exporter runs', async () => {
    const f = (name: string) => new RegExp(`file ".*${name}/model\\.json"`);
    // A Mean over axis 7 of a rank-4 tensor: onnx's exporter failed inside, reading "low" of undefined.
    const mean = await writeModel('mean', modelJson({
      nodes: [constNode('axes', 'DT_INT32', [1]), { name: 'mean', op: 'Mean', input: ['mul', 'axes'], attr: { T: DT_FLOAT, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } }],
      weights: [{ name: 'axes', shape: [1], dtype: 'int32' }],
    }), Buffer.concat([Buffer.from(new Float32Array([2]).buffer), Buffer.from(new Int32Array([7]).buffer)]));
    await expectOneLine(['export', mean, '--to', 'onnx', '--out', out], /node "mean" \(Mean\): axis \(input 1\) 7 is out of range: the input has rank 4, axes must be in \[-4, 4\)/);

    const noShape = modelJson(); delete (noShape.weightsManifest[0]!.weights[0] as { shape?: number[] }).shape;
    expect(await expectOneLine(['export', await writeModel('no-shape', noShape, [2]), '--out', out], /weight "k" has no shape/)).to.match(f('no-shape'));

    const nullDtype = modelJson(); (nullDtype.weightsManifest[0]!.weights[0] as { dtype: string | null }).dtype = null;
    await expectOneLine(['export', await writeModel('null-dtype', nullDtype, [2]), '--out', out], /weight "k" has dtype null; tfjs weights are float32, int32/);

    // Strides of 2^64 made TFLite's XNNPACK fail with "memory access out of bounds".
    await expectOneLine(['export', await writeModel('strides-64', modelJson(conv('18446744073709551616')), [2, 1]), '--to', 'tflite', '--out', out],
      /node "conv" \(Conv2D\): attribute "strides" has list int "18446744073709551616", not a whole number/);
    expect(await listTree(out)).to.deep.equal([]);
  });

  it('--out that cannot be a repository: a file, /proc (at once, no hang)', async () => {
    await writeTree(dir, { 'a-file': 'x' });
    await expectOneLine(['export', EXAMPLE_MODEL, '--out', path.join(dir, 'a-file'), '--no-validate'], /--out ".*a-file": ".*a-file" is a file, not a folder/);
    const t0 = Date.now();
    await expectOneLine(['export', EXAMPLE_MODEL, '--out', '/proc/self', '--no-validate'], /--out "\/proc\/self": "\/proc\/self" is on the proc file system/, { timeoutMs: 20_000 });
    expect(Date.now() - t0).to.be.below(15_000);
  });

  it('stdout closed by its reader (| head -1): the version is written, exit code 0, no stack', async () => {
    const child = spawn(process.execPath, [CLI_BIN, 'export', EXAMPLE_MODEL, '--out', out, '--name', 'piped', '--no-validate', '--no-progress'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the first line is written
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d; });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).to.not.match(/EPIPE|\n\s+at /);
    expect(code, stderr).to.equal(0);
    expect(await listTree(path.join(out, 'piped'))).to.include('1/export.json');
  });

  it('--version that is not 1, 2, 3…, and a target named twice, are refused', async () => {
    for (const v of ['--version=1e21']) {
      await expectOneLine(['export', EXAMPLE_MODEL, '--out', out, '--name', 'versions', v, '--no-validate'], /--version ".*": a version is a whole number from 1 to 9007199254740991/);
    }
    await expectOneLine(['export', EXAMPLE_MODEL, '--out', out, '--name', 'versions', '--to', 'tfjs,tfjs', '--no-validate'], /targets name "tfjs" more than once \(tfjs,tfjs\)/);
    expect(await listTree(path.join(out, 'versions'))).to.deep.equal([]);
  });

  it('--input-shape with a huge batch: exported, validation skipped with a note (summary and export.json), memory bounded', async () => {
    const r = await runCli(['export', EXAMPLE_MODEL, '--out', out, '--name', 'huge-batch', '--input-shape', '100000,32,32,3', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout) as { dir: string; notes: string[] };
    const note = /validation skipped: the inputs \(image \[100000,32,32,3\]\) hold 307200000 values, past the bound of 16777216/;
    expect(summary.notes.join('\n')).to.match(note);
    const record = JSON.parse(await fs.readFile(path.join(summary.dir, 'export.json'), 'utf8')) as { notes: string[] };
    expect(record.notes.join('\n')).to.match(note);
    expect(r.ms).to.be.below(30_000);
  });

  it('inspect refuses devices, pipes and files past the format\'s size before reading them', async () => {
    await fs.symlink('/dev/urandom', path.join(dir, 'random.tflite'));
    await expectOneLine(['inspect', path.join(dir, 'random.tflite')], /file ".*random\.tflite": a character device, not a model file/, { timeoutMs: 20_000 });
    await fs.writeFile(path.join(dir, 'huge.onnx'), '');
    await fs.truncate(path.join(dir, 'huge.onnx'), 2 ** 31 + 10); // sparse: no disk used
    await expectOneLine(['inspect', path.join(dir, 'huge.onnx')], /file ".*huge\.onnx": 2147483658 bytes, more than an ONNX protobuf can be \(2147483647 bytes\)/);
    await fs.rm(path.join(dir, 'huge.onnx'));
  });

  it('files given in the wrong place: the error says what is wrong and quotes none of their content', async () => {
    const secret = 'SECRET-7f3a9 token=hunter2\n\u0001\u0002binary';
    await fs.mkdir(path.join(dir, 'empty-repo'));
    await writeTree(dir, { 'secret.txt': secret, 'secret/model.json': secret, 'secret.onnx': `\n\u0005${secret}` });
    const lines = [
      await expectOneLine(['export', EXAMPLE_MODEL, '--out', out, '--name', 'inputs', '--inputs', path.join(dir, 'secret.txt')], /secret\.txt": validation inputs \(--inputs\) cannot be read: not JSON/),
      await expectOneLine(['export', path.join(dir, 'secret', 'model.json'), '--out', out], /model\.json": not valid JSON \(an unexpected character where JSON was expected\)/),
      await expectOneLine(['inspect', path.join(dir, 'secret.onnx')], /secret\.onnx": not an ONNX model/),
      await expectOneLine(['serve', path.join(dir, 'empty-repo'), '--port', '0', '--model-config-file', path.join(dir, 'secret.txt')], /secret\.txt/, { timeoutMs: 30_000 }),
    ];
    for (const line of lines) expect(line).to.not.match(/SECRET|hunter2|binary|[\u0000-\u0008]/);
  });

  it('a model whose outputs are all NaN: the export warns in the summary and export.json, not a bare "ok"', async () => {
    const model = await writeModel('nan', modelJson(), [NaN]);
    const r = await runCli(['export', model, '--out', out, '--to', 'tfjs,onnx', '--json']);
    expect(r.code, r.stderr).to.equal(0);
    const summary = JSON.parse(r.stdout) as { dir: string; notes: string[] };
    const warning = /warning: the source's output "mul" is all NaN \(16 values\) on the validation inputs, so validation compared nothing/;
    expect(summary.notes.join('\n')).to.match(warning);
    const record = JSON.parse(await fs.readFile(path.join(summary.dir, 'export.json'), 'utf8')) as { notes: string[] };
    expect(record.notes.join('\n')).to.match(warning);
  });
});
