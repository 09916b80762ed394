import { attr } from '@modelport/core';
import type { TfliteConversion, TfliteOpConverter, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';
import { fusedOps, withActivation } from './activation.js';
import { transposeValues, zeroInt32Bias } from './helpers.js';
import { writesHybrid } from '../op-facts.js';

function transpose2d(c: TfliteConversion, x: TfliteTensor): TfliteTensor {
  return c.emitTemp('TRANSPOSE', [x, c.constant('perm', 'int32', [2], Int32Array.of(1, 0))], x.dtype, [x.shape[1]!, x.shape[0]!]);
}

/**
 * MatMul / _FusedMatMul. A constant right-hand side is a FULLY_CONNECTED weight, stored [out, in]
 * as TFLite wants (TF keeps [in, out] unless transpose_b); otherwise BATCH_MATMUL (float only).
 */
const matMul: TfliteOpConverter = (c) => {
  const fused = c.node.op === '_FusedMatMul' ? fusedOps(c) : { bias: false };
  const ta = attr.bool(c.node, 'transpose_a', false);
  const tb = attr.bool(c.node, 'transpose_b', false);
  const out = c.out();
  const [k, m] = tb ? [c.facts(1).shape[1]!, c.facts(1).shape[0]!] : c.facts(1).shape as number[];
  const bv = c.value(1);
  if (bv && out.dtype === 'float32') {
    const a = ta ? transpose2d(c, c.input(0)) : c.input(0);
    const hybrid = !c.quantized && writesHybrid('FULLY_CONNECTED');
    const weights = c.constant(tb ? 'weights' : 'weights_t', 'float32', [m!, k!], tb ? bv : transposeValues(bv, [k!, m!], [1, 0]), 1, { axisOf: (ax) => (tb ? ax : 1 - ax), stored: hybrid });
    if (fused.bias && !c.value(2) && c.quantized) c.refuse('its bias is computed at run time; int8 kernels take a constant int32 bias');
    const zeros = () => (c.quantized ? zeroInt32Bias(c, a, weights, m!) : c.constant('bias', 'float32', [m!], new Float32Array(m!)));
    const bias = fused.bias ? (c.value(2) ? c.constant('bias', 'float32', [m!], c.value(2)!, 2) : c.input(2)) : zeros();
    // A hybrid kernel quantizes its float input per row, with a zero point (op version 9).
    const asymmetric = hybrid && weights.dtype === 'int8';
    const opts = (act: number) => options('FullyConnectedOptions', { fused_activation_function: act, ...(asymmetric ? { asymmetric_quantize_inputs: true } : {}) });
    return withActivation(c, fused.activation, (act, final) => (final
      ? c.emit('FULLY_CONNECTED', [a, weights, bias], opts(act))
      : c.emitTemp('FULLY_CONNECTED', [a, weights, bias], out.dtype, out.shape, opts(act))));
  }
  const mm = (final: boolean) => {
    const inputs = [c.input(0), c.input(1)];
    const opts = options('BatchMatMulOptions', { adj_x: ta, adj_y: tb });
    return final ? c.emit('BATCH_MATMUL', inputs, opts) : c.emitTemp('BATCH_MATMUL', inputs, out.dtype, out.shape, opts);
  };
  if (!fused.bias) return mm(true);
  const addOpts = (act: number) => options('AddOptions', { fused_activation_function: act });
  const product = mm(false);
  return withActivation(c, fused.activation, (act, final) => (final
    ? c.emit('ADD', [product, c.input(2)], addOpts(act))
    : c.emitTemp('ADD', [product, c.input(2)], out.dtype, out.shape, addOpts(act))));
};

const batchMatMul: TfliteOpConverter = (c) => c.emit('BATCH_MATMUL', [c.input(0), c.input(1)], options('BatchMatMulOptions', {
  adj_x: attr.bool(c.node, 'adj_x', false), adj_y: attr.bool(c.node, 'adj_y', false),
}));

export const matmulOps: TfliteOpTable = {
  MatMul: matMul,
  _FusedMatMul: matMul,
  BatchMatMul: batchMatMul,
  BatchMatMulV2: batchMatMul,
};
