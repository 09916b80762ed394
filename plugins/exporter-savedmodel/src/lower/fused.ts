import { attr, attrValue, type Node, type TensorRef } from '@modelport/core';
import { ACTIVATION_KINDS, activationNodes } from './activation.js';
import { attrsOf } from './pick-attrs.js';
import { CannotLower, tfNode, type Lowering, type LoweringContext } from './types.js';

/**
 * The tail of a fused op (tfjs's FusedDepthwiseConv2dNative, TensorFlow's internal _FusedConv2D
 * and _FusedMatMul): `fused_ops` lists BiasAdd or FusedBatchNorm, then at most one activation;
 * their operands follow the op's own inputs in that order (Prelu's alpha last).
 */
function tailNodes(node: Node, core: Node, ctx: LoweringContext): Node[] {
  const ops = attr.strings(node, 'fused_ops', []);
  const T = node.attrs.T ?? attrValue.dtype('float32');
  const extra = node.inputs.slice(2);
  let next = 0;
  const take = (what: string): TensorRef => {
    const ref = extra[next++];
    if (!ref) throw new CannotLower(`fused ${what} without its input`);
    return ref;
  };
  const nodes: Node[] = [core];
  const steps = [...ops];
  let x = `${core.name}:0`;
  const outName = (last: boolean, part: string) => (last ? node.name : ctx.name(part));
  const first = steps[0];
  if (first === 'BiasAdd' || first === 'FusedBatchNorm') {
    steps.shift();
    const last = steps.length === 0;
    if (first === 'BiasAdd') {
      nodes.push(tfNode(outName(last, 'BiasAdd'), 'BiasAdd', [x, take('BiasAdd bias')], { T, ...attrsOf('BiasAdd', node.attrs) }));
    } else {
      const args = [take('scale'), take('offset'), take('mean'), take('variance')];
      nodes.push(tfNode(outName(last, 'FusedBatchNormV3'), 'FusedBatchNormV3', [x, ...args], {
        T, U: attrValue.dtype('float32'), epsilon: attrValue.float(attr.float(node, 'epsilon', 0.0001)), is_training: attrValue.bool(false),
        ...(node.attrs.data_format ? { data_format: node.attrs.data_format } : {}),
      }));
    }
    x = `${nodes[nodes.length - 1]!.name}:0`;
  }
  if (steps.length > 1 || (steps.length === 1 && !ACTIVATION_KINDS.has(steps[0]!))) throw new CannotLower(`fused_ops [${ops.join(', ')}]`);
  if (steps.length === 1) {
    const kind = steps[0]!;
    const alpha = kind === 'Prelu' ? take('Prelu alpha') : undefined;
    nodes.push(...activationNodes(kind, x, node.name, { T, leakyAlpha: attr.float(node, 'leakyrelu_alpha', 0.2), ...(alpha ? { alpha } : {}) }, ctx));
  }
  if (nodes[nodes.length - 1]!.name !== node.name) nodes[nodes.length - 1] = { ...nodes[nodes.length - 1]!, name: node.name };
  return nodes;
}

/** A fused op with no tail is its base op under the IR node's own name. */
function fusedAs(base: string): Lowering {
  return (node, ctx) => {
    const hasTail = attr.strings(node, 'fused_ops', []).length > 0;
    const core = tfNode(hasTail ? ctx.name(base) : node.name, base, node.inputs.slice(0, 2), { ...attrsOf(base, node.attrs), T: node.attrs.T ?? attrValue.dtype('float32') });
    return hasTail ? tailNodes(node, core, ctx) : [core];
  };
}

export const lowerFusedConv2D = fusedAs('Conv2D');
export const lowerFusedDepthwiseConv2D = fusedAs('DepthwiseConv2dNative');
export const lowerFusedMatMul = fusedAs('MatMul');

/** tfjs's Prelu(x, alpha) node. */
export const lowerPrelu: Lowering = (node, ctx) => {
  const [x, alpha] = node.inputs;
  if (!x || !alpha) throw new CannotLower('Prelu takes x and alpha');
  return activationNodes('Prelu', x, node.name, { T: node.attrs.T ?? attrValue.dtype('float32'), alpha, leakyAlpha: 0 }, ctx);
};
