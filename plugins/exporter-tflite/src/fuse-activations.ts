import { opFacts } from './op-facts.js';
import { Activation, TensorType, type ActivationName, type BuiltinOperatorName } from './schema/enums.js';
import type { SubGraphBuilder } from './subgraph-builder.js';

const ACTIVATIONS: Partial<Record<BuiltinOperatorName, ActivationName>> = { RELU: 'RELU', RELU6: 'RELU6', RELU_N1_TO_1: 'RELU_N1_TO_1' };


/**
 * Folds RELU / RELU6 / RELU_N1_TO_1 into the op that feeds them when nothing else reads that op's
 * output: one op less, and the clamp happens while the result is still in registers. Int8 too: the
 * op then writes the activation's tensor, with the activation's parameters, and its kernel clamps
 * in them (an int8 RELU left alone also splits XNNPACK's partitions).
 */
export function fuseActivations(subgraph: SubGraphBuilder): number {
  const ops = subgraph.operators;
  const readers = new Map<number, number>();
  for (const op of ops) for (const i of op.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  const producer = new Map<number, number>();
  ops.forEach((op, k) => op.outputs.forEach((o) => producer.set(o, k)));
  const outputs = new Set(subgraph.outputs);
  const removed = new Set<number>();
  ops.forEach((act, k) => {
    const activation = ACTIVATIONS[act.op];
    if (!activation) return;
    const input = act.inputs[0]!;
    const p = producer.get(input);
    if (p === undefined || removed.has(p)) return;
    const prev = ops[p]!;
    const values = (prev.options?.values ?? {}) as Record<string, unknown>;
    if (!opFacts(prev.op).fusesActivation || !prev.options || (values.fused_activation_function ?? 0) !== 0) return;
    const type = subgraph.tensors[input]!.type;
    if (readers.get(input) !== 1 || outputs.has(input) || (type !== TensorType.FLOAT32 && type !== TensorType.INT8)) return;
    if (subgraph.tensors[act.outputs[0]!]!.type !== type) return;
    // An int8 op whose output must keep its input's scale (pools) cannot take the activation's.
    if (type === TensorType.INT8 && opFacts(prev.op).int8?.sameScale) return;
    prev.options = { ...prev.options, values: { ...values, fused_activation_function: Activation[activation] } } as typeof prev.options;
    ops[p] = { ...prev, outputs: [act.outputs[0]!, ...prev.outputs.slice(1)] };
    producer.set(act.outputs[0]!, p);
    removed.add(k);
  });
  const kept = ops.filter((_, k) => !removed.has(k));
  ops.length = 0;
  ops.push(...kept);
  return removed.size;
}
