import { INT8_OPS, parseTensorRef, type ConstantTensor, type Graph, type Node, type Quantization } from '@modelport/core';

/**
 * How much of int8 the weights of integer products use in the ONNX file: 'reduced' 7 bits
 * (|q| ≤ 64), 'full' the quantizer's 8 bits (|q| ≤ 127).
 */
export type WeightRange = 'reduced' | 'full';

/**
 * Why 7 bits: onnxruntime runs QLinearConv, QGemm, QLinearMatMul and DynamicQuantizeMatMul as
 * uint8 × int8 products. On x86 CPUs with AVX2 or AVX-512 but no VNNI its kernels add two such
 * products into int16 (VPMADDUBSW), which saturates at 32767: 255 · 127 · 2 does not fit, 255 · 64 · 2
 * does. Measured on an AMD EPYC (AVX2, no VNNI) a 3×3 convolution lost accuracy (cosine to float
 * 0.986) with 8-bit weights and none with DequantizeLinear + float Conv (0.99996); onnxruntime's
 * own quantizer offers reduce_range for these CPUs. Depthwise convolutions keep 8 bits: their
 * kernel gave the same results at 8 and 7 bits with inputs and weights at the top of their ranges.
 */
const SATURATING_PRODUCTS: ReadonlySet<string> = new Set(['Conv2D', '_FusedConv2D', 'MatMul', '_FusedMatMul']);
/** Float MatMuls whose int8 weight (--quantize dynamic) becomes MatMulInteger: input 1 is the weight. */
const DYNAMIC_MATMULS: ReadonlySet<string> = new Set(['MatMul', '_FusedMatMul', 'BatchMatMul', 'BatchMatMulV2', 'BatchMatMulV3']);

/** The 7-bit form of a symmetric int8 weight: twice the scale, so every value fits |q| ≤ 64. */
function halved(q: Quantization): Quantization {
  return { ...q, scale: q.scale.map((s) => s * 2) };
}

function isSymmetricInt8(q: Quantization | undefined): q is Quantization {
  return q !== undefined && (q.dtype ?? 'int8') === 'int8' && q.zeroPoint.every((z) => z === 0);
}

/**
 * The graph with the int8 weights of integer products at 7 bits: their scale doubled, and the int32
 * bias of the same node with it (its scale is input scale × weight scale). The values stay the
 * real ones; exporters quantize them with the annotation, so only annotations change. Weights
 * that are not symmetric int8 are left as they are, and so is everything else in the graph.
 */
export function reduceWeightRange(graph: Graph): Graph {
  const rescaled = new Set<string>();
  const constOf = (ref: string | undefined): string | undefined => {
    if (ref === undefined) return undefined;
    const { node } = parseTensorRef(ref);
    return graph.constants.has(node) ? node : undefined;
  };
  const quantizationOf = (name: string | undefined) => (name === undefined ? undefined : graph.constants.get(name)?.quantization);
  const rescaleInt8Node = (node: Node) => {
    const rule = INT8_OPS[node.op]!;
    const weights = (rule.weights?.(node) ?? []).map((w) => constOf(node.inputs[w.input]));
    if (!weights.length || !weights.every((w) => isSymmetricInt8(quantizationOf(w)))) return;
    for (const w of weights) rescaled.add(w!);
    const bias = rule.bias?.(node);
    const b = bias === undefined ? undefined : constOf(node.inputs[bias]);
    if (b !== undefined && quantizationOf(b)?.dtype === 'int32') rescaled.add(b);
  };
  for (const node of graph.nodes) {
    if (node.quantized === 'int8') {
      if (SATURATING_PRODUCTS.has(node.op)) rescaleInt8Node(node);
    } else if (DYNAMIC_MATMULS.has(node.op)) {
      const w = constOf(node.inputs[1]);
      if (isSymmetricInt8(quantizationOf(w))) rescaled.add(w!);
    }
  }
  if (!rescaled.size) return graph;
  const constants = new Map<string, ConstantTensor>(graph.constants);
  for (const name of rescaled) {
    const c = constants.get(name)!;
    constants.set(name, { ...c, quantization: halved(c.quantization!) });
  }
  return { ...graph, constants };
}
