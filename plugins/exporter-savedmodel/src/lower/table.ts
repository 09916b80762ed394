import { lowerFusedConv2D, lowerFusedDepthwiseConv2D, lowerFusedMatMul, lowerPrelu } from './fused.js';
import type { Lowering } from './types.js';

/**
 * IR ops that TensorFlow does not register publicly, and the public ops they become. Grappler
 * fuses Conv2D + BiasAdd + Relu again when TensorFlow loads the model.
 */
export const LOWERINGS: Readonly<Record<string, Lowering>> = {
  _FusedConv2D: lowerFusedConv2D,
  FusedDepthwiseConv2dNative: lowerFusedDepthwiseConv2D,
  _FusedMatMul: lowerFusedMatMul,
  Prelu: lowerPrelu,
};
