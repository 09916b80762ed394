import type { OnnxGraphEmitter } from '../graph-emitter.js';
import { onnxAttr } from '../onnx-model.js';
import type { Shape } from '@modelport/core';
import type { Value } from '../value.js';
import { storedWeightOf } from './stored-weights.js';

/**
 * A float MatMul whose weight is stored int8 (--quantize dynamic), as onnxruntime's own dynamic
 * quantization writes it: DynamicQuantizeLinear quantizes the activation to uint8 per call,
 * MatMulInteger multiplies uint8 × int8 into int32, and the product of both scales brings the
 * result back to float (onnxruntime fuses the chain into DynamicQuantizeMatMul). Undefined when
 * `b` is not an int8 weight of that form (per tensor, or per output column of a matrix): the
 * caller then multiplies by the dequantized weight.
 *
 * Convolutions do not get the integer form. onnxruntime 1.30 does run ConvInteger uint8 × int8 on
 * CPU (with one weight zero point only), but measured with 1 thread it is slower than
 * DequantizeLinear + float Conv: 1.0 vs 0.45 ms (3×3, 64 → 64 channels on 16×16), 0.94 vs
 * 0.08 ms (1×1, 32 → 32 on 32×32), 0.76 vs 0.14 ms (depthwise 3×3, 32 channels on 32×32). So a
 * convolution reads its int8 weight as a float one (Cast and Mul by the scale, folded when the
 * session loads: stored-weights.ts).
 */
export function dynamicMatMul(emit: OnnxGraphEmitter, a: Value, b: Value, shape: Shape): Value | undefined {
  const w = storedWeightOf(emit, b);
  if (!w || w.kind === 'cast' || w.stored.dtype !== 'int8' || a.dtype !== 'float32') return undefined;
  const rank = w.stored.shape?.length ?? 0;
  if (w.axis !== undefined && (rank !== 2 || w.axis !== 1)) return undefined;
  const [aq, aScale, aZero] = emit.ops('DynamicQuantizeLinear', [a], {}, [
    { dtype: 'uint8', shape: a.shape }, { dtype: 'float32', shape: [] }, { dtype: 'uint8', shape: [] },
  ]);
  const product = emit.op('MatMulInteger', [aq!, w.stored, aZero!, w.zeroPoint!], {}, { dtype: 'int32', shape });
  const real = emit.op('Cast', [product], { to: onnxAttr.int(1) }, { dtype: 'float32', shape });
  const scale = emit.op('Mul', [aScale!, w.scale!], {}, { dtype: 'float32', shape: w.scale!.shape });
  return emit.op('Mul', [real, scale], {}, { dtype: 'float32', shape });
}

/**
 * An int8 matrix product with a bias, as Gemm: onnxruntime's QDQ selectors fuse DQ → Gemm → Q
 * (int32 bias through its DequantizeLinear) into QGemm, where MatMul followed by Add would leave
 * the Add outside the fused node. Undefined when not a 2-D product with a 1-D bias.
 */
export function int8Gemm(emit: OnnxGraphEmitter, a: Value, b: Value, bias: Value | undefined, shape: Shape): Value | undefined {
  if (!bias || a.shape?.length !== 2 || b.shape?.length !== 2 || bias.shape?.length !== 1) return undefined;
  return emit.op('Gemm', [a, b, bias], {}, { dtype: 'float32', shape });
}
