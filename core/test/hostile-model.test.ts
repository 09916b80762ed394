import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  assertSaneAttrs, attrValue, checkModelFile, checkOutputDir, describeFsError, findAttrProblems, GraphBuilder, internalErrorAt, jsonSyntaxProblem,
  loadTfjsGraphModel, PluginError, withoutFileContent, type Graph,
} from '@modelport/core';

/** A model.json with weight `k` [1] float32 and whatever the mutation changes, in its own folder. */
async function modelFiles(dir: string, mutate: (json: any) => void): Promise<string> {
  const json: any = {
    format: 'graph-model',
    modelTopology: { node: [
      { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [{ size: '1' }, { size: '4' }] } } } },
      { name: 'k', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' }, value: { tensor: { dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '1' }] } } } } },
      { name: 'mul', op: 'Mul', input: ['x', 'k'], attr: { T: { type: 'DT_FLOAT' } } },
    ] },
    weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'k', shape: [1], dtype: 'float32' }] }],
  };
  mutate(json);
  const folder = await fs.mkdtemp(path.join(dir, 'm-'));
  await fs.writeFile(path.join(folder, 'model.json'), JSON.stringify(json));
  await fs.writeFile(path.join(folder, 'w.bin'), Buffer.alloc(4));
  return path.join(folder, 'model.json');
}

async function loadError(file: string): Promise<string> {
  try {
    await loadTfjsGraphModel(file);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the model to be refused');
}

/** x [2,3,4] through `op` with a constant axis input or attribute. */
function axisGraph(op: string, axis: number, asAttr = false): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2, 3, 4]);
  if (asAttr) return b.outputs(b.node('n', { op, inputs: [x, x], attrs: { axis: attrValue.int(axis), N: attrValue.int(2), T: attrValue.dtype('float32') } })).build();
  const a = b.constant('axis', 'int32', [1], [axis]);
  const inputs = op === 'ConcatV2' ? [x, x, a] : [x, a];
  return b.outputs(b.node('n', { op, inputs, attrs: { T: attrValue.dtype('float32'), Tidx: attrValue.dtype('int32'), keep_dims: attrValue.bool(false), N: attrValue.int(2) } })).build();
}

function convGraph(strides: number[]): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [1, 8, 8, 1]);
  const f = b.constant('f', 'float32', [1, 1, 1, 1], [1]);
  return b.outputs(b.node('conv', { op: 'Conv2D', inputs: [x, f], attrs: { strides: attrValue.ints(strides), padding: attrValue.string('VALID'), T: attrValue.dtype('float32') } })).build();
}

describe('hostile model files and paths', () => {
  let dir: string;
  before(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hostile-')); });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('weightsManifest entries: each problem names the file and the weight (or its position)', async () => {
    const cases: [(j: any) => void, RegExp][] = [
      [(j) => { j.weightsManifest[0].weights[0] = null; }, /weight entry weightsManifest\[0\]\.weights\[0\] is null, expected a \{ name, shape, dtype \} entry/],
      [(j) => { delete j.weightsManifest[0].weights[0].name; }, /weightsManifest\[0\]\.weights\[0\] has no name \(a non-empty string\): it is missing/],
      [(j) => { delete j.weightsManifest[0].weights[0].shape; }, /weight "k" has no shape \(a list of dimensions\)/],
      [(j) => { j.weightsManifest[0].weights[0].shape = [2 ** 31]; }, /weight "k" has shape dimension 2147483648: dimensions are whole numbers from 0 to 2\^31-1/],
      [(j) => { j.weightsManifest[0].weights[0].shape = [-1]; }, /weight "k" has shape dimension -1/],
      [(j) => { j.weightsManifest[0].weights[0].dtype = 'float64'; }, /weight "k" has dtype "float64"; tfjs weights are float32/],
      [(j) => { j.weightsManifest[0].weights[0].quantization = { dtype: 'int4' }; }, /weight "k" has quantization of dtype "int4"/],
      [(j) => { j.weightsManifest[0].paths = [7]; }, /weightsManifest\[0\] must be a \{ paths: \[file names\], weights: \[\.\.\.\] \} group/],
    ];
    for (const [mutate, message] of cases) {
      const file = await modelFiles(dir, mutate);
      const error = await loadError(file);
      expect(error).to.match(message).and.include(`file "${file}"`);
      expect(error).to.not.match(/Cannot read|is not iterable|"undefined"/);
    }
  });

  it('node attributes: each problem names the file, the node and the attribute', async () => {
    const cases: [(j: any) => void, RegExp][] = [
      [(j) => { j.modelTopology.node[0].attr.dtype = null; }, /node "x" \(Placeholder\): attribute "dtype" is null, not an AttrValue object/],
      [(j) => { j.modelTopology.node[0].attr.shape = { shape: { dim: [{ size: 'abc' }] } }; }, /node "x" \(Placeholder\): attribute "shape" has dimension size "abc"/],
      [(j) => { j.modelTopology.node[2].attr.T = { i: '18446744073709551616' }; }, /node "mul" \(Mul\): attribute "T" has int "18446744073709551616", not a whole number within ±2\^53/],
      [(j) => { j.modelTopology.node[2].attr.s = { list: { i: 'nope' } }; }, /node "mul" \(Mul\): attribute "s" has list\.i that is not a list/],
      [(j) => { j.modelTopology.node[2].input = 'x'; }, /node "mul" \(Mul\): "input" must be a list of tensor names/],
      [(j) => { j.modelTopology.node = {}; }, /modelTopology\.node has an entry without a name or an op/],
    ];
    for (const [mutate, message] of cases) {
      const file = await modelFiles(dir, mutate);
      expect(await loadError(file)).to.match(message).and.include(`file "${file}"`);
    }
  });

  it('strides, windows and constant axes out of range are found before a runtime sees them', () => {
    expect(findAttrProblems(convGraph([1, 2, 2, 1]))).to.deep.equal([]);
    expect(findAttrProblems(convGraph([1, 2 ** 31, 1, 1]))[0]?.message).to.equal('attribute "strides" has 2147483648: each must be a whole number from 1 to 2^31-1');
    expect(findAttrProblems(convGraph([1, 0, 1, 1]))[0]?.message).to.match(/has 0: each must be/);
    for (const axis of [-3, 0, 2]) expect(findAttrProblems(axisGraph('Mean', axis)), `Mean ${axis}`).to.deep.equal([]);
    expect(findAttrProblems(axisGraph('Mean', 3))[0]?.message).to.equal('axis (input 1) 3 is out of range: the input has rank 3, axes must be in [-3, 3)');
    expect(findAttrProblems(axisGraph('Sum', -4))[0]?.message).to.match(/axis \(input 1\) -4 is out of range/);
    expect(findAttrProblems(axisGraph('ConcatV2', 5))[0]?.message).to.match(/axis \(last input\) 5 is out of range: the input has rank 3/);
    expect(findAttrProblems(axisGraph('Pack', 3, true))).to.deep.equal([]); // Pack adds an axis: rank 4
    expect(findAttrProblems(axisGraph('Pack', 4, true))[0]?.message).to.match(/attribute "axis" 4 is out of range: the input has rank 4/);
    expect(() => assertSaneAttrs(axisGraph('Mean', 9), 'm.json')).to.throw(/file "m\.json": node "n" \(Mean\): axis \(input 1\) 9 is out of range/);
  });

  it('--out: a file, a path through a file, a link loop and /proc are refused at once; a new nested folder is fine', async () => {
    await fs.writeFile(path.join(dir, 'file'), 'x');
    await fs.symlink('loop-b', path.join(dir, 'loop-a'));
    await fs.symlink('loop-a', path.join(dir, 'loop-b'));
    const refused = async (out: string) => checkOutputDir(out).then(() => 'accepted', (e: Error) => e.message);
    expect(await refused(path.join(dir, 'file'))).to.match(/--out ".*file": ".*file" is a file, not a folder/);
    expect(await refused(path.join(dir, 'file', 'models'))).to.match(/--out ".*file\/models": a part of the path is a file, not a folder/);
    expect(await refused(path.join(dir, 'loop-a', 'models'))).to.match(/too many symbolic links \(a link loop\)/);
    expect(await refused('/proc/self')).to.match(/"\/proc\/self" is on the proc file system/);
    expect(await refused('/sys/models')).to.match(/"\/sys" is on the sysfs file system/);
    expect(await refused(path.join(dir, 'new', 'deeper', 'models'))).to.equal('accepted');
  });

  it('file system errors read as the path and what is wrong', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/m/1/model.onnx', syscall: 'write' });
    expect(describeFsError(enospc)).to.equal('path "/m/1/model.onnx": no space left on the device (while writing)');
    const eacces = Object.assign(new Error('EACCES: permission denied, mkdir \'/srv/m\''), { code: 'EACCES', path: '/srv/m', syscall: 'mkdir' });
    expect(new PluginError('@modelport/exporter-onnx', 'writeArtifact[onnx]', eacces).message)
      .to.equal('[plugin @modelport/exporter-onnx] writeArtifact[onnx]: path "/srv/m": permission denied (while creating a folder)');
    const erofs = Object.assign(new Error('EROFS'), { code: 'EROFS', path: '/ro', syscall: 'open' });
    expect(describeFsError(erofs)).to.equal('path "/ro": the file system is read-only (while opening a file)');
  });

  it('an engine error in a tap says "internal error" with the plugin and hook, not only the engine\'s words', () => {
    const e = new PluginError('@modelport/exporter-onnx', 'writeArtifact[onnx]', new TypeError("Cannot read properties of undefined (reading 'low')"));
    expect(e.message).to.equal("[plugin @modelport/exporter-onnx] writeArtifact[onnx]: internal error (TypeError: Cannot read properties of undefined (reading 'low')), likely a value in the input that this plugin does not check; run with --verbose for the stack");
    expect(new PluginError('p', 'h', new Error('a plain message')).message).to.equal('[plugin p] h: a plain message');
    // Raised while a node was processed: the node is named too.
    const atNode = internalErrorAt(new RangeError('Invalid array length'), { node: 'conv', op: 'Conv2D' });
    expect(new PluginError('@modelport/exporter-tflite', 'writeArtifact[tflite]', atNode).message)
      .to.equal('[plugin @modelport/exporter-tflite] writeArtifact[tflite]: node "conv" (Conv2D): internal error (RangeError: Invalid array length), likely a value in the input that this plugin does not check; run with --verbose for the stack');
  });

  const refusal = (file: string) => checkModelFile(file).then(() => 'accepted', (e: Error) => e.message);

  it('model files: devices, pipes and files past the format\'s size are refused before reading', async () => {
    await fs.symlink('/dev/urandom', path.join(dir, 'random.tflite'));
    expect(await refusal(path.join(dir, 'random.tflite'))).to.match(/a character device, not a model file/);
    execFileSync('mkfifo', [path.join(dir, 'pipe.onnx')]);
    expect(await refusal(path.join(dir, 'pipe.onnx'))).to.match(/a named pipe \(FIFO\), not a model file/);
    await fs.writeFile(path.join(dir, 'big.json'), '');
    await fs.truncate(path.join(dir, 'big.json'), 256 * 2 ** 20 + 1);
    expect(await refusal(path.join(dir, 'big.json'))).to.match(/268435457 bytes, more than a model\.json \(weights live in shards\) can be \(268435456 bytes\)/);
    await fs.truncate(path.join(dir, 'big.json'), 256 * 2 ** 20);
    expect((await checkModelFile(path.join(dir, 'big.json'))).size).to.equal(256 * 2 ** 20);
  });

  it('errors quote no file content: JSON excerpts and control characters are dropped', () => {
    let parseError: unknown;
    try { JSON.parse('root:x:0:0:root:/root:/bin/bash'); } catch (e) { parseError = e; }
    expect(jsonSyntaxProblem(parseError)).to.equal('an unexpected character where JSON was expected');
    expect(withoutFileContent(`config: ${(parseError as Error).message}`)).to.equal('config: an unexpected character where JSON was expected');
    expect(withoutFileContent('bad \u0000\u0001\u001b[31m bytes')).to.equal('bad ?[31m bytes');
  });
});
