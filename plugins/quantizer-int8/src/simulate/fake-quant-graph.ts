import {
  dequantizeValues, parseTensorRef, QUANTIZED_RANGE, quantizeValues, tensorRef,
  type ConstantTensor, type Graph, type Node, type Quantization, type TensorRef,
} from '@modelport/core';

/** A quantized graph as float ops tfjs runs, and where each quantized activation's int8 form is in it. */
export interface FakeQuantGraph {
  readonly graph: Graph;
  /** Tensor of the annotated graph → the tensor of the simulated graph holding its int8 form, dequantized. */
  readonly int8Form: ReadonlyMap<TensorRef, TensorRef>;
}

const FLOAT = { T: { type: 'float32' } } as const;

function isAffine(q: Quantization | undefined): q is Quantization {
  return q !== undefined && q.dtype !== 'float16' && q.scale.length > 0;
}

/** The real values a stored weight stands for once quantized: what every target computes with. */
function dequantizedConstant(c: ConstantTensor): ConstantTensor {
  if (!isAffine(c.quantization) || c.dtype !== 'float32') return c;
  const stored = quantizeValues(c.values as Float32Array, c.shape, c.quantization);
  return { ...c, values: dequantizeValues(stored, c.shape, c.quantization) };
}

/**
 * A float copy of an annotated graph that computes what its integer form computes, up to the
 * rounding inside kernels: each stored weight is replaced by its dequantized values, and each
 * activation with int8 parameters is followed by quantize-dequantize ops (x / s → round half away
 * from zero → + z → clamp to the type's range → − z → × s). Int8 nodes read the int8 forms of their
 * inputs; float nodes read the int8 form of a tensor an int8 node wrote (an exporter dequantizes it
 * for them), and the float form of any other. Values are float32, so a tie may fall on either side
 * where float64 math would find it exact.
 */
export function fakeQuantGraph(annotated: Graph): FakeQuantGraph {
  const producers = new Map(annotated.nodes.map((n) => [n.name, n]));
  const names = new Set(annotated.nodes.map((n) => n.name));
  const constants = new Map<string, ConstantTensor>();
  for (const [name, c] of annotated.constants) constants.set(name, dequantizedConstant(c));
  const int8Form = new Map<TensorRef, TensorRef>();
  const nodes: Node[] = [];

  const unique = (base: string) => {
    let name = base;
    for (let i = 1; names.has(name); i++) name = `${base}_${i}`;
    names.add(name);
    return name;
  };
  const scalar = (name: string, value: number): TensorRef => {
    const n = unique(name);
    constants.set(n, { dtype: 'float32', shape: [], values: Float32Array.of(value) });
    nodes.push({ name: n, op: 'Const', inputs: [], attrs: { dtype: { type: 'float32' }, value: { tensor: { dtype: 'float32', shape: [] } } } });
    return tensorRef(n);
  };
  const op = (name: string, kind: string, inputs: TensorRef[]): TensorRef => {
    const n = unique(name);
    nodes.push({ name: n, op: kind, inputs, attrs: FLOAT });
    return tensorRef(n);
  };
  const quantizeDequantize = (ref: TensorRef, q: Quantization): TensorRef => {
    const [qmin, qmax] = QUANTIZED_RANGE[(q.dtype ?? 'int8') as keyof typeof QUANTIZED_RANGE];
    const base = `${parseTensorRef(ref).node}/fake_quant_${parseTensorRef(ref).index}`;
    const s = scalar(`${base}/scale`, q.scale[0]!);
    const z = scalar(`${base}/zero_point`, q.zeroPoint[0]!);
    const divided = op(`${base}/divide`, 'RealDiv', [ref, s]);
    // Round half away from zero, as the integer kernels do (tfjs Round goes half to even): sign(v) × floor(|v| + ½).
    const half = op(`${base}/abs_plus_half`, 'AddV2', [op(`${base}/abs`, 'Abs', [divided]), scalar(`${base}/half`, 0.5)]);
    const rounded = op(`${base}/round`, 'Mul', [op(`${base}/sign`, 'Sign', [divided]), op(`${base}/floor`, 'Floor', [half])]);
    const shifted = op(`${base}/add_zero_point`, 'AddV2', [rounded, z]);
    const low = op(`${base}/clamp_min`, 'Maximum', [shifted, scalar(`${base}/qmin`, qmin)]);
    const high = op(`${base}/clamp_max`, 'Minimum', [low, scalar(`${base}/qmax`, qmax)]);
    const centred = op(`${base}/sub_zero_point`, 'Sub', [high, z]);
    return op(`${base}/dequantize`, 'Mul', [centred, s]);
  };

  /** Whether a reader of `ref` sees its int8 form. */
  const readsInt8 = (ref: TensorRef, reader: Node | undefined) => {
    if (!int8Form.has(ref)) return false;
    return producers.get(parseTensorRef(ref).node)?.quantized === 'int8' || reader?.quantized === 'int8';
  };
  const read = (ref: TensorRef, reader: Node | undefined) => (readsInt8(ref, reader) ? int8Form.get(ref)! : ref);

  for (const node of annotated.nodes) {
    nodes.push(node.op === 'Const' ? node : { ...node, inputs: node.inputs.map((r) => read(r, node)) });
    if (node.op === 'Const') continue;
    node.outputs?.forEach((info, i) => {
      if (isAffine(info.quantization)) int8Form.set(tensorRef(node.name, i), quantizeDequantize(tensorRef(node.name, i), info.quantization));
    });
  }
  const graph: Graph = {
    ...annotated, nodes, constants, outputs: annotated.outputs.map((r) => read(r, undefined)), signatures: {}, metadata: {},
  };
  return { graph, int8Form };
}
