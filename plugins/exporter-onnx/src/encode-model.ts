import onnxProto from 'onnx-proto';
import type { TypedArray } from '@modelport/core';
import { onnxDType } from './onnx-dtype.js';
import type { OnnxAttr, OnnxGraph, OnnxModel, OnnxTensor, OnnxValueInfo } from './onnx-model.js';

const { onnx } = onnxProto;
const A = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

function tensorProto(t: OnnxTensor): onnxProto.onnx.ITensorProto {
  const base = { name: t.name, dataType: onnxDType(t.dtype), dims: [...t.dims] };
  if (t.dtype === 'string') return { ...base, stringData: [...(t.data as readonly Uint8Array[])] };
  // raw_data is little-endian, as typed arrays are on every platform Node runs on.
  const a = t.data as TypedArray;
  return { ...base, rawData: new Uint8Array(a.buffer, a.byteOffset, a.byteLength) };
}

function attributeProto(name: string, a: OnnxAttr): onnxProto.onnx.IAttributeProto {
  switch (a.kind) {
    case 'int': return { name, type: A.INT, i: a.value };
    case 'ints': return { name, type: A.INTS, ints: [...a.value] };
    case 'float': return { name, type: A.FLOAT, f: a.value };
    case 'floats': return { name, type: A.FLOATS, floats: [...a.value] };
    case 'string': return { name, type: A.STRING, s: utf8.encode(a.value) };
    case 'tensor': return { name, type: A.TENSOR, t: tensorProto(a.value) };
    case 'graph': return { name, type: A.GRAPH, g: graphProto(a.value) };
  }
}

function valueInfoProto(v: OnnxValueInfo): onnxProto.onnx.IValueInfoProto {
  const shape = v.shape === null ? undefined : {
    dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : typeof d === 'string' ? { dimParam: d } : {})),
  };
  return { name: v.name, type: { tensorType: { elemType: onnxDType(v.dtype), ...(shape ? { shape } : {}) } } };
}

function graphProto(g: OnnxGraph): onnxProto.onnx.IGraphProto {
  return {
    name: g.name,
    node: g.nodes.map((n) => ({
      name: n.name, opType: n.opType, input: n.inputs, output: n.outputs,
      attribute: Object.entries(n.attrs).map(([k, a]) => attributeProto(k, a)),
    })),
    initializer: [...g.initializers.values()].map(tensorProto),
    input: g.inputs.map(valueInfoProto),
    output: g.outputs.map(valueInfoProto),
  };
}

/** The ModelProto bytes of a model, written by onnx-proto's generated encoder. */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const proto = onnx.ModelProto.create({
    irVersion: model.irVersion,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    opsetImport: [{ domain: '', version: model.opset }],
    graph: graphProto(model.graph),
    metadataProps: Object.entries(model.metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(proto).finish();
}
