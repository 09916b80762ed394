import { attr } from '@modelport/core';
import { UnsupportedVariant, type ConversionContext } from '../converter.js';
import type { Value } from '../value.js';
import { activationOf } from './activation.js';

/** The parts of a TF fused op (_FusedConv2D, _FusedMatMul …): an optional bias, then an optional activation. */
export interface FusedOps {
  readonly bias?: Value;
  readonly activation?: string;
  /** The Prelu slope. */
  readonly alpha?: Value;
  readonly leakyAlpha: number;
}

const ACTIVATIONS = new Set(['Relu', 'Relu6', 'Elu', 'LeakyRelu', 'Sigmoid', 'Tanh', 'Prelu']);

/** Reads `fused_ops` and the extra args (inputs from `firstArg` on); refuses what tfjs cannot fuse either. */
export function readFusedOps(ctx: ConversionContext, firstArg: number): FusedOps {
  const ops = attr.strings(ctx.node, 'fused_ops', []);
  const args = ctx.inputs.slice(firstArg);
  const leakyAlpha = attr.float(ctx.node, 'leakyrelu_alpha', 0.2);
  if (ops.length === 0) return { leakyAlpha };
  let i = 0;
  let bias: Value | undefined;
  if (ops[0] === 'BiasAdd') { bias = args[i++]; if (!bias) throw ctx.fail('BiasAdd is fused but the bias input is missing'); }
  const rest = ops.slice(bias ? 1 : 0);
  if (rest.length > 1 || (rest.length === 1 && !ACTIVATIONS.has(rest[0]!))) throw new UnsupportedVariant(`fused_ops [${ops.join(', ')}]`);
  const activation = rest[0];
  const alpha = activation === 'Prelu' ? args[i++] : undefined;
  if (activation === 'Prelu' && !alpha) throw ctx.fail('Prelu is fused but the alpha input is missing');
  return { ...(bias ? { bias } : {}), ...(activation ? { activation } : {}), ...(alpha ? { alpha } : {}), leakyAlpha };
}

/** Adds the bias (NHWC broadcast, last axis) unless it was folded into the op itself. */
export function applyBias(ctx: ConversionContext, y: Value, fused: FusedOps): Value {
  if (!fused.bias) return y;
  return ctx.emit.op('Add', [y, fused.bias], {}, { dtype: y.dtype, shape: y.shape });
}

export function applyActivation(ctx: ConversionContext, y: Value, fused: FusedOps): Value {
  if (!fused.activation) return y;
  return activationOf(ctx.emit, fused.activation, y, { alpha: fused.alpha, leakyAlpha: fused.leakyAlpha });
}

