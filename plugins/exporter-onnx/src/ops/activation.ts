import { attr } from '@modelport/core';
import type { OnnxOpTable } from '../converter.js';
import type { OnnxGraphEmitter } from '../graph-emitter.js';
import { onnxAttr } from '../onnx-model.js';
import { broadcastShapes } from '../shapes.js';
import type { Value } from '../value.js';

export interface ActivationParams {
  readonly alpha?: Value;
  readonly leakyAlpha?: number;
}

/** One activation by its TF name, on any layout (they are elementwise). */
export function activationOf(emit: OnnxGraphEmitter, name: string, x: Value, params: ActivationParams = {}): Value {
  const out = { dtype: x.dtype, shape: x.shape };
  switch (name) {
    case 'Relu': return emit.op('Relu', [x], {}, out);
    case 'Relu6': return emit.op('Clip', [x, emit.scalar(x.dtype, 0), emit.scalar(x.dtype, 6)], {}, out);
    case 'Elu': return emit.op('Elu', [x], { alpha: onnxAttr.float(1) }, out);
    case 'Selu': return emit.op('Selu', [x], {}, out);
    case 'LeakyRelu': return emit.op('LeakyRelu', [x], { alpha: onnxAttr.float(params.leakyAlpha ?? 0.2) }, out);
    case 'Sigmoid': return emit.op('Sigmoid', [x], {}, out);
    case 'Tanh': return emit.op('Tanh', [x], {}, out);
    case 'Softplus': return emit.op('Softplus', [x], {}, out);
    case 'Softsign': return emit.op('Softsign', [x], {}, out);
    case 'Prelu': {
      if (!params.alpha) throw new Error('Prelu needs its alpha');
      return emit.op('PRelu', [x, params.alpha], {}, { dtype: x.dtype, shape: broadcastShapes(x.shape, params.alpha.shape) ?? x.shape });
    }
    default: throw new Error(`no activation "${name}"`);
  }
}

const simple = (name: string): OnnxOpTable[string] => (ctx) => activationOf(ctx.emit, name, ctx.input(0));

export const activationOps: OnnxOpTable = {
  Relu: simple('Relu'),
  Relu6: simple('Relu6'),
  Elu: simple('Elu'),
  Selu: simple('Selu'),
  Sigmoid: simple('Sigmoid'),
  Tanh: simple('Tanh'),
  Softplus: simple('Softplus'),
  Softsign: simple('Softsign'),
  LeakyRelu: (ctx) => activationOf(ctx.emit, 'LeakyRelu', ctx.input(0), { leakyAlpha: attr.float(ctx.node, 'alpha', 0.2) }),
  Prelu: (ctx) => activationOf(ctx.emit, 'Prelu', ctx.input(0), { alpha: ctx.input(1) }),
  Softmax: (ctx) => ctx.emit.op('Softmax', [ctx.input(0)], { axis: onnxAttr.int(-1) }, { dtype: ctx.input(0).dtype, shape: ctx.input(0).shape }),
  LogSoftmax: (ctx) => ctx.emit.op('LogSoftmax', [ctx.input(0)], { axis: onnxAttr.int(-1) }, { dtype: ctx.input(0).dtype, shape: ctx.input(0).shape }),
};
