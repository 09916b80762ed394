import { attrValue, type AttrValue, type Node, type TensorRef } from '@modelport/core';
import { CannotLower, tfNode, type LoweringContext } from './types.js';

export interface ActivationArgs {
  readonly T: AttrValue;
  /** The Prelu slope tensor. */
  readonly alpha?: TensorRef;
  /** LeakyRelu's slope. */
  readonly leakyAlpha: number;
}

/** TensorFlow activations that are ops of their own (with T), as fused_ops name them. */
const PLAIN = new Set(['Relu', 'Relu6', 'Elu', 'Selu', 'Sigmoid', 'Tanh']);

/** Every activation a fused op may end with here. */
export const ACTIVATION_KINDS: ReadonlySet<string> = new Set([...PLAIN, 'LeakyRelu', 'Prelu', 'Gelu']);

/**
 * The nodes computing `kind`(x), the last one named `out`. TensorFlow has no Prelu op:
 * Relu(x) − alpha·Relu(−x) is x where x > 0 and alpha·x elsewhere. GELU (exact) is
 * x·(1 + erf(x/√2))/2.
 */
export function activationNodes(kind: string, x: TensorRef, out: string, args: ActivationArgs, ctx: LoweringContext): Node[] {
  const { T } = args;
  if (PLAIN.has(kind)) return [tfNode(out, kind, [x], { T })];
  if (kind === 'LeakyRelu') return [tfNode(out, 'LeakyRelu', [x], { T, alpha: attrValue.float(args.leakyAlpha) })];
  if (kind === 'Prelu') {
    if (!args.alpha) throw new CannotLower('Prelu without its alpha input');
    const positive = tfNode(ctx.name('positive'), 'Relu', [x], { T });
    const negated = tfNode(ctx.name('negated'), 'Neg', [x], { T });
    const negative = tfNode(ctx.name('negative'), 'Relu', [`${negated.name}:0`], { T });
    const scaled = tfNode(ctx.name('scaled'), 'Mul', [args.alpha, `${negative.name}:0`], { T });
    return [positive, negated, negative, scaled, tfNode(out, 'Sub', [`${positive.name}:0`, `${scaled.name}:0`], { T })];
  }
  if (kind === 'Gelu') {
    const dtype = 'type' in T ? T.type : 'float32';
    if (dtype !== 'float32') throw new CannotLower(`Gelu on ${dtype}`);
    const half = ctx.constant('half', { dtype: 'float32', shape: [], values: Float32Array.of(0.5) });
    const invSqrt2 = ctx.constant('inv_sqrt2', { dtype: 'float32', shape: [], values: Float32Array.of(Math.SQRT1_2) });
    const one = ctx.constant('one', { dtype: 'float32', shape: [], values: Float32Array.of(1) });
    const scaled = tfNode(ctx.name('scaled'), 'Mul', [x, `${invSqrt2.name}:0`], { T });
    const erf = tfNode(ctx.name('erf'), 'Erf', [`${scaled.name}:0`], { T });
    const plus = tfNode(ctx.name('one_plus_erf'), 'AddV2', [`${one.name}:0`, `${erf.name}:0`], { T });
    const halfX = tfNode(ctx.name('half_x'), 'Mul', [x, `${half.name}:0`], { T });
    return [half, invSqrt2, one, scaled, erf, plus, halfX, tfNode(out, 'Mul', [`${halfX.name}:0`, `${plus.name}:0`], { T })];
  }
  throw new CannotLower(`activation ${kind}`);
}
