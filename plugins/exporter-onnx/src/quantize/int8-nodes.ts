import { asUint8, INT8_OPS, parseTensorRef, type Graph, type Node, type Quantization, type TensorRef } from '@modelport/core';
import type { OnnxGraphEmitter } from '../graph-emitter.js';
import type { Value } from '../value.js';

/**
 * Writes int8 nodes in onnxruntime's QDQ form. Each IR tensor with a quantization has an int8 form:
 * the output of QuantizeLinear(float, scale, zero point). An int8 node reads each float input
 * through its own DequantizeLinear of that int8 form, computes in float, and its result goes
 * through QuantizeLinear with the node's output parameters (then a DequantizeLinear for readers).
 * onnxruntime's QDQ selectors turn DQ → Conv → Q into QLinearConv (DQ → MatMul → Q into
 * QLinearMatMul, Add into QLinearAdd …) when the graph is optimised; without that the file still
 * computes what the int8 kernels would, to rounding.
 *
 * Activations are carried as uint8 with the int8 scale and the zero point + 128 (asUint8): the same
 * real values, integer for integer (q + 128). Measured with onnxruntime 1.30 on x86: there int8
 * activations only fuse through its S8→U8 rewrite, which skips a tensor read by two nodes (a
 * residual Add and the convolution beside it stayed float, and so did the node writing the
 * tensor); with uint8 activations every unit fuses. Weights stay int8 (U8S8, the x86 kernels' form),
 * those of convolutions and matrix products at 7 bits (weight-range.ts).
 */
export class Int8Forms {
  private readonly producers: ReadonlyMap<string, Node>;
  /** int8 forms by emitter (a Loop body makes its own) and IR tensor. */
  private readonly forms = new Map<OnnxGraphEmitter, Map<TensorRef, Value>>();

  constructor(private readonly graph: Graph) {
    this.producers = new Map(graph.nodes.map((n) => [n.name, n]));
  }

  /** The int8 parameters of an IR tensor: its Const's quantization or its producer's outputs[i]. */
  paramsOf(ref: TensorRef): Quantization | undefined {
    const { node, index } = parseTensorRef(ref);
    const producer = this.producers.get(node);
    if (producer?.op === 'Const') return this.graph.constants.get(node)?.quantization;
    return producer?.outputs?.[index]?.quantization;
  }

  /** Consts an int8 node reads as an activation operand (not a weight or bias): stored as carried activations are. */
  activationConsts(): Set<string> {
    const names = new Set<string>();
    for (const node of this.graph.nodes) {
      if (node.quantized !== 'int8' || !INT8_OPS[node.op]) continue;
      for (const i of INT8_OPS[node.op]!.activations(node)) if (this.isStoredConst(node.inputs[i]!)) names.add(parseTensorRef(node.inputs[i]!).node);
    }
    return names;
  }

  isStoredConst(ref: TensorRef): boolean {
    const { node } = parseTensorRef(ref);
    return this.producers.get(node)?.op === 'Const' && this.graph.constants.get(node)?.quantization !== undefined;
  }

  /** The inputs an int8 node computes on: float values read through DequantizeLinear of their int8 forms. */
  inputsOf(node: Node, emit: OnnxGraphEmitter, inputs: readonly Value[]): Value[] {
    const rule = INT8_OPS[node.op]!;
    const out = [...inputs];
    for (const i of rule.activations(node)) {
      const ref = node.inputs[i]!;
      // A stored Const already is DequantizeLinear(its int8 initializer).
      if (this.isStoredConst(ref)) continue;
      out[i] = this.dequantizedOf(emit, ref, inputs[i]!);
    }
    return out;
  }

  /**
   * An int8 Relu/Relu6 whose input already has its output's parameters with the zero point at the
   * bottom of the range (the quantizer gives an op read only by its activation the activation's
   * parameters): every value it could hold is already clamped, so the node is its input. Writing
   * DQ → Relu → Q instead leaves onnxruntime a DequantizeLinear + QuantizeLinear pair it does not
   * remove (blazeface: 31 of them). Undefined when the node is not such a no-op.
   */
  clampsNothing(node: Node, emit: OnnxGraphEmitter, input: Value): Value | undefined {
    if (node.op !== 'Relu' && node.op !== 'Relu6') return undefined;
    const inQ = this.paramsOf(node.inputs[0]!), outQ = node.outputs?.[0]?.quantization;
    if (!inQ || !outQ || inQ.scale[0] !== outQ.scale[0] || inQ.zeroPoint[0] !== outQ.zeroPoint[0] || outQ.zeroPoint[0] !== -128) return undefined;
    if (node.op === 'Relu6' && outQ.scale[0]! * 255 > 6 * (1 + 1e-6)) return undefined;
    const ref = `${node.name}:0`;
    const int8 = this.int8Of(emit, node.inputs[0]!, input);
    this.formsOf(emit).set(ref, int8);
    const float = this.dequantizedOf(emit, node.inputs[0]!, input);
    this.dequantized.set(`${ref}|${int8.name}`, float);
    return float;
  }

  /** Quantizes the node's float results; returns the float values its readers get (DQ of the int8 form). */
  outputsOf(node: Node, emit: OnnxGraphEmitter, outputs: readonly Value[]): Value[] {
    return outputs.map((v, i) => {
      const q = node.outputs?.[i]?.quantization;
      if (!q || v.dtype !== 'float32') return v;
      const ref = `${node.name}:${i}`;
      const int8 = quantize(emit, v, carried(q));
      this.formsOf(emit).set(ref, int8);
      const float = dequantize(emit, int8, carried(q));
      this.dequantized.set(`${ref}|${int8.name}`, float);
      return float;
    });
  }

  /**
   * One DequantizeLinear per int8 form, shared by its readers, as onnxruntime's quantizer writes
   * it (onnxruntime gives each node unit its own copy before it fuses).
   */
  private readonly dequantized = new Map<string, Value>();

  private dequantizedOf(emit: OnnxGraphEmitter, ref: TensorRef, float: Value): Value {
    const int8 = this.int8Of(emit, ref, float);
    const key = `${ref}|${int8.name}`;
    const known = this.dequantized.get(key);
    if (known) return known;
    const dq = dequantize(emit, int8, carried(this.paramsOf(ref)!));
    this.dequantized.set(key, dq);
    return dq;
  }

  private formsOf(emit: OnnxGraphEmitter): Map<TensorRef, Value> {
    let m = this.forms.get(emit);
    if (!m) this.forms.set(emit, (m = new Map()));
    return m;
  }

  /** The int8 form of a float tensor, made once per graph by QuantizeLinear. */
  private int8Of(emit: OnnxGraphEmitter, ref: TensorRef, float: Value): Value {
    const forms = this.formsOf(emit);
    const known = forms.get(ref);
    if (known) return known;
    const q = quantize(emit, float, carried(this.paramsOf(ref)!));
    forms.set(ref, q);
    return q;
  }
}

/** How the ONNX file carries an int8 activation (see the class comment). */
export function carried(q: Quantization): Quantization {
  return asUint8(q);
}

function params(emit: OnnxGraphEmitter, q: Quantization): [Value, Value] {
  return [emit.scalar('float32', q.scale[0]!), emit.scalar(q.dtype ?? 'int8', q.zeroPoint[0] ?? 0)];
}

/** Per-tensor QuantizeLinear to int8 (or uint8 at an integer edge). */
export function quantize(emit: OnnxGraphEmitter, x: Value, q: Quantization, outName?: string): Value {
  return emit.op('QuantizeLinear', [x, ...params(emit, q)], {}, { dtype: q.dtype ?? 'int8', shape: x.shape }, outName);
}

export function dequantize(emit: OnnxGraphEmitter, x: Value, q: Quantization): Value {
  return emit.op('DequantizeLinear', [x, ...params(emit, q)], {}, { dtype: 'float32', shape: x.shape });
}
