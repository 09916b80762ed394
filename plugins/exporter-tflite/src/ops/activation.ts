import { attr } from '@modelport/core';
import type { TfliteConversion, TfliteOpTable } from '../conversion.js';
import { options } from '../schema/options.js';
import type { TfliteTensor } from '../subgraph-builder.js';
import { activationValue, FUSABLE_ACTIVATION } from './helpers.js';

/**
 * Applies an activation TensorFlow names (`Relu`, `Prelu`, …) to `x`, writing output 0.
 * `alphaInput` is the input holding Prelu's alpha (a fused op's extra argument).
 */
export function emitActivation(c: TfliteConversion, name: string, x: TfliteTensor, alphaInput?: number): TfliteTensor {
  switch (name) {
    case 'Relu': return c.emit('RELU', [x]);
    case 'Relu6': return c.emit('RELU6', [x]);
    case 'Elu': return c.emit('ELU', [x]);
    case 'Sigmoid': return c.emit('LOGISTIC', [x]);
    case 'Tanh': return c.emit('TANH', [x]);
    case 'LeakyRelu': return c.emit('LEAKY_RELU', [x], options('LeakyReluOptions', { alpha: attr.float(c.node, 'leakyrelu_alpha', 0.2) }));
    case 'Prelu':
      if (alphaInput === undefined) return c.refuse('Prelu without alpha');
      return c.emit('PRELU', [x, c.input(alphaInput)]);
    default: return c.refuse(`fused activation ${name}`);
  }
}

/** The fused ops of _FusedConv2D / FusedDepthwiseConv2dNative / _FusedMatMul: a BiasAdd, then maybe an activation. */
export function fusedOps(c: TfliteConversion): { bias: boolean; activation?: string } {
  const ops = attr.strings(c.node, 'fused_ops', []);
  if (ops.length === 0) return { bias: false };
  if (ops[0] !== 'BiasAdd') return c.refuse(`fused ops [${ops.join(', ')}]`);
  if (ops.length > 2) return c.refuse(`fused ops [${ops.join(', ')}]`);
  return { bias: true, ...(ops[1] ? { activation: ops[1] } : {}) };
}

/**
 * Emits a fusable op (`emitCore`) and its activation: fused into the op's options when TFLite can
 * (Relu, Relu6), else as a second op. `emitCore(activation, final)` writes output 0 when `final`.
 */
export function withActivation(
  c: TfliteConversion, activation: string | undefined, emitCore: (fused: number, final: boolean) => TfliteTensor, alphaInput?: number,
): TfliteTensor {
  if (activation === undefined) return emitCore(0, true);
  const fusable = FUSABLE_ACTIVATION[activation];
  if (fusable) return emitCore(activationValue(fusable), true);
  return emitActivation(c, activation, emitCore(0, false), alphaInput);
}

export const activationOps: TfliteOpTable = {
  Relu: (c) => c.emit('RELU', [c.input(0)]),
  Relu6: (c) => c.emit('RELU6', [c.input(0)]),
  Elu: (c) => c.emit('ELU', [c.input(0)]),
  Sigmoid: (c) => c.emit('LOGISTIC', [c.input(0)]),
  Tanh: (c) => c.emit('TANH', [c.input(0)]),
  LeakyRelu: (c) => c.emit('LEAKY_RELU', [c.input(0)], options('LeakyReluOptions', { alpha: attr.float(c.node, 'alpha', 0.2) })),
  Prelu: (c) => c.emit('PRELU', [c.input(0), c.input(1)]),
  Softmax: (c) => c.emit('SOFTMAX', [c.input(0)], options('SoftmaxOptions', { beta: 1 })),
  LogSoftmax: (c) => c.emit('LOG_SOFTMAX', [c.input(0)]),
};
