import { allocValues, dtypeFromTf, sizeOfShape, type AttrValue, type ConstantTensor, type DType, type Graph, type Node, type SignatureTensor } from '@modelport/core';

// Reads a frozen TF1 SavedModel object (decoded with TO_OBJECT_OPTIONS) into the Graph IR, every
// node and attr as TensorFlow wrote it (readSavedModel prunes to the signatures): the tests run it
// in tfjs against TensorFlow's recorded outputs, then export it and compare field for field.

const shapeOf = (s: any): number[] | null => (s?.unknownRank ? null : (s?.dim ?? []).map((d: any) => Number(d.size)));
const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');

function attrOf(v: any): AttrValue {
  if ('list' in v) {
    const l = v.list ?? {};
    return { list: {
      ...(l.s ? { s: l.s.map(text) } : {}), ...(l.i ? { i: l.i.map(Number) } : {}), ...(l.f ? { f: l.f } : {}),
      ...(l.b ? { b: l.b } : {}), ...(l.type ? { type: l.type.map(dtypeFromTf) } : {}), ...(l.shape ? { shape: l.shape.map(shapeOf) } : {}),
    } };
  }
  if ('s' in v) return { s: text(v.s) };
  if ('i' in v) return { i: Number(v.i) };
  if ('f' in v) return { f: v.f };
  if ('b' in v) return { b: v.b };
  if ('type' in v) return { type: dtypeFromTf(v.type) };
  if ('shape' in v) return { shape: shapeOf(v.shape) };
  if ('tensor' in v) return { tensor: { dtype: dtypeFromTf(v.tensor.dtype), shape: shapeOf(v.tensor.tensorShape) ?? [] } };
  return { list: {} };
}

function tensorOf(t: any): ConstantTensor {
  const dtype = dtypeFromTf(t.dtype) as DType;
  const shape = shapeOf(t.tensorShape) ?? [];
  const size = sizeOfShape(shape);
  if (dtype === 'string') return { dtype, shape, values: (t.stringVal ?? []).map((b: Uint8Array) => new Uint8Array(b)) };
  const values = allocValues(dtype, size);
  if (t.tensorContent) {
    const bytes = new Uint8Array(t.tensorContent);
    new Uint8Array(values.buffer).set(bytes);
  } else {
    const list: any[] = t.floatVal ?? t.intVal ?? t.int64Val ?? t.doubleVal ?? t.boolVal ?? t.halfVal ?? [];
    for (let i = 0; i < size; i++) {
      const x = list[Math.min(i, list.length - 1)] ?? 0;
      (values as any)[i] = values instanceof BigInt64Array ? BigInt(x) : typeof x === 'boolean' ? Number(x) : Number(x);
    }
  }
  return { dtype, shape, values };
}

const refOf = (input: string) => (input.includes(':') ? input : `${input}:0`);

/** A frozen SavedModel TensorFlow wrote, every node kept (unused Consts too), as the IR. */
export function graphFromFixture(savedModel: any, signatureKey = 'serving_default'): Graph {
  const meta = savedModel.metaGraphs[0];
  const constants = new Map<string, ConstantTensor>();
  const nodes: Node[] = meta.graphDef.node.map((n: any): Node => {
    const attrs = Object.fromEntries(Object.entries(n.attr ?? {}).filter(([k]) => k !== '_output_shapes').map(([k, v]) => [k, attrOf(v)]));
    if (n.op === 'Const') constants.set(n.name, tensorOf(n.attr.value.tensor));
    const inputs = (n.input ?? []) as string[];
    const controls = inputs.filter((i) => i.startsWith('^')).map((i) => i.slice(1));
    return { name: n.name, op: n.op, inputs: inputs.filter((i) => !i.startsWith('^')).map(refOf), attrs, ...(controls.length ? { controlInputs: controls } : {}) };
  });
  const tensors = (m: any) => Object.fromEntries(Object.entries(m ?? {}).map(([k, t]: [string, any]): [string, SignatureTensor] =>
    [k, { name: t.name, dtype: dtypeFromTf(t.dtype), shape: shapeOf(t.tensorShape) }]));
  const signatures = Object.fromEntries(Object.entries(meta.signatureDef).map(([k, s]: [string, any]) => [k, { inputs: tensors(s.inputs), outputs: tensors(s.outputs), methodName: s.methodName }]));
  const sig = signatures[signatureKey]!;
  return {
    inputs: Object.values(sig.inputs).map((t) => t.name.split(':')[0]!),
    outputs: Object.values(sig.outputs).map((t) => t.name),
    nodes, constants, signatures, metadata: {},
  };
}

/** A raw little-endian float32 file of the fixtures. */
export function float32File(bytes: Buffer, shape: readonly number[]): { dtype: 'float32'; shape: readonly number[]; data: Float32Array } {
  return { dtype: 'float32', shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
}
