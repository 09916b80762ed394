import { attrValue, type TensorRef } from '@modelport/core';
import type { LayerCall, LayerConfig } from './layer-call.js';
import { binary, FLOAT, scalar, unary } from './ops.js';

type ActivationEmitter = (call: LayerCall, x: TensorRef) => TensorRef;

const single = (op: string): ActivationEmitter => (call, x) => unary(call, op, x);

// Each formula follows tfjs-layers' activations.ts operation for operation, so results match
// model.predict to rounding.
const ACTIVATIONS: Readonly<Record<string, ActivationEmitter>> = {
  linear: (_call, x) => x,
  relu: single('Relu'),
  relu6: single('Relu6'),
  elu: single('Elu'),
  selu: single('Selu'),
  sigmoid: single('Sigmoid'),
  tanh: single('Tanh'),
  softplus: single('Softplus'),
  softmax: single('Softmax'),
  logsoftmax: single('LogSoftmax'),
  hardsigmoid: (call, x) => {
    // clip(0.2·x + 0.5, 0, 1) with Minimum/Maximum, which every target has.
    const y = binary(call, 'AddV2', binary(call, 'Mul', x, scalar(call, 'hard_sigmoid/slope', 0.2), 'hard_sigmoid/mul'), scalar(call, 'hard_sigmoid/shift', 0.5), 'hard_sigmoid/add');
    const upper = binary(call, 'Minimum', y, scalar(call, 'hard_sigmoid/one', 1), 'hard_sigmoid/Minimum');
    return binary(call, 'Maximum', upper, scalar(call, 'hard_sigmoid/zero', 0), 'hard_sigmoid/Maximum');
  },
  softsign: (call, x) => {
    const denominator = binary(call, 'AddV2', unary(call, 'Abs', x, 'softsign/Abs'), scalar(call, 'softsign/one', 1), 'softsign/add');
    return binary(call, 'RealDiv', x, denominator, 'softsign/truediv');
  },
  swish: (call, x) => binary(call, 'Mul', unary(call, 'Sigmoid', x, 'swish/Sigmoid'), x, 'swish/mul'),
  mish: (call, x) => binary(call, 'Mul', x, unary(call, 'Tanh', unary(call, 'Softplus', x, 'mish/Softplus'), 'mish/Tanh'), 'mish/mul'),
  gelu: (call, x) => {
    const scaled = binary(call, 'RealDiv', x, scalar(call, 'gelu/sqrt_two', Math.sqrt(2)), 'gelu/truediv');
    const onePlusErf = binary(call, 'AddV2', scalar(call, 'gelu/one', 1), unary(call, 'Erf', scaled, 'gelu/Erf'), 'gelu/add');
    const cdf = binary(call, 'Mul', scalar(call, 'gelu/half', 0.5), onePlusErf, 'gelu/mul');
    return binary(call, 'Mul', x, cdf, 'gelu/mul_1');
  },
  gelunew: (call, x) => {
    const cube = binary(call, 'Pow', x, scalar(call, 'gelu_new/three', 3), 'gelu_new/Pow');
    const inner = binary(call, 'AddV2', x, binary(call, 'Mul', scalar(call, 'gelu_new/coeff', 0.044715), cube, 'gelu_new/mul'), 'gelu_new/add');
    const tanh = unary(call, 'Tanh', binary(call, 'Mul', scalar(call, 'gelu_new/sqrt_2_over_pi', Math.sqrt(2 / Math.PI)), inner, 'gelu_new/mul_1'), 'gelu_new/Tanh');
    const onePlus = binary(call, 'AddV2', scalar(call, 'gelu_new/one', 1), tanh, 'gelu_new/add_1');
    return binary(call, 'Mul', scalar(call, 'gelu_new/half', 0.5), binary(call, 'Mul', x, onePlus, 'gelu_new/mul_2'), 'gelu_new/mul_3');
  },
};

// 'hardSigmoid', 'hard_sigmoid' and 'HardSigmoid' all name the same function.
function normalize(identifier: string): string {
  return identifier.replace(/_/g, '').toLowerCase();
}

/** The activation a layer's config names; Keras writes no activation as 'linear'. */
export function activationOf(config: LayerConfig): string {
  const v = config.activation;
  if (v === undefined || v === null) return 'linear';
  if (typeof v === 'string') return v;
  const className = (v as { className?: unknown; class_name?: unknown }).className ?? (v as { class_name?: unknown }).class_name;
  return typeof className === 'string' ? className : String(v);
}

/** Why an activation cannot be emitted, or undefined when it can. */
export function refuseActivation(identifier: string): string | undefined {
  return ACTIVATIONS[normalize(identifier)] ? undefined : `activation "${identifier}" is not supported`;
}

export function applyActivation(call: LayerCall, x: TensorRef, identifier: string): TensorRef {
  const emit = ACTIVATIONS[normalize(identifier)];
  if (!emit) throw new Error(`activation "${identifier}" is not supported`);
  return emit(call, x);
}

/** LeakyRelu with its slope, as tfjs's graph executor reads it. */
export function leakyRelu(call: LayerCall, x: TensorRef, alpha: number): TensorRef {
  return call.op('LeakyRelu', 'LeakyRelu', [x], { ...FLOAT, alpha: attrValue.float(alpha) });
}
