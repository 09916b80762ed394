/**
 * How the passes classify ops. The rules follow tfjs's graph executor, which is what runs and
 * validates the IR: it treats `^name` control inputs as ordinary inputs (so an op that reads "all
 * remaining inputs" would read them too), and it marks the untaken side of a Switch as dead.
 */
import { attr, type Node } from '@modelport/core';

/** Ops that only pass their single input on; at inference they compute nothing. */
export const IDENTITY_OPS: ReadonlySet<string> = new Set(['Identity', 'StopGradient', 'PreventGradient', 'Snapshot']);

// v1 control flow and functional control flow: edges around these carry deadness and loop frames.
const CONTROL_FLOW_OPS: ReadonlySet<string> = new Set([
  'Switch', 'RefSwitch', '_SwitchN', 'Merge', 'RefMerge', 'Enter', 'RefEnter', 'Exit', 'RefExit',
  'NextIteration', 'RefNextIteration', 'LoopCond', 'ControlTrigger', 'If', 'StatelessIf', 'While', 'StatelessWhile',
]);

// Ops whose tfjs mapping takes a variable-length tail of inputs (end 0 or negative): a control
// input appended to them would be read as data (ConcatV2 would take it as its axis).
const VARIADIC_INPUT_OPS: ReadonlySet<string> = new Set([
  'AddN', 'Concat', 'ConcatV2', 'Pack', 'IdentityN', 'ShapeN', 'Einsum',
  '_FusedConv2D', 'FusedDepthwiseConv2dNative', '_FusedMatMul',
]);

export function isControlFlowOp(op: string): boolean {
  return CONTROL_FLOW_OPS.has(op);
}

/** TensorArray and TensorList ops pass handles and flow tensors; their order of use matters. */
export function isTensorContainerOp(op: string): boolean {
  return op.startsWith('TensorArray') || op.startsWith('TensorList');
}

/** Whether control inputs can be added to (or renamed on) a node of this op without changing what it computes. */
export function canTakeControlInputs(op: string): boolean {
  return !CONTROL_FLOW_OPS.has(op) && !VARIADIC_INPUT_OPS.has(op);
}

// Ops whose value is not a function of their inputs alone (feeds, state, randomness, side
// effects), or that tfjs evaluates differently from TensorFlow (it ignores FakeQuant*).
const NOT_FOLDABLE_OPS: ReadonlySet<string> = new Set(['Const', 'NoOp', 'Placeholder', 'PlaceholderWithDefault', 'Print', 'PrintV2', 'Assert']);
const NOT_FOLDABLE_PATTERN = /Random|Multinomial|TruncatedNormal|Variable|VarHandle|Assign|HashTable|LookupTable|InitializeTable|Queue|Iterator|Save|Restore|Summary|FakeQuant/;

/**
 * A Cast from a float to bool. TensorFlow makes it x ≠ 0; tfjs' wasm backend (4.22) copies the float
 * into the bool's byte instead (0.5 → false), so a value folded by tfjs could differ from what the
 * exported model computes in TensorFlow, onnxruntime or TFLite: such a Cast stays computed.
 */
export function castsFloatToBool(node: Node): boolean {
  return node.op === 'Cast' && attr.dtype(node, 'DstT', 'float32') === 'bool' && /^(float|half|bfloat)/.test(attr.dtype(node, 'SrcT', 'float32'));
}

/** Whether a node of this op may be replaced by its value when all its inputs are constants. */
export function isFoldableOp(op: string): boolean {
  return !NOT_FOLDABLE_OPS.has(op) && !CONTROL_FLOW_OPS.has(op) && !isTensorContainerOp(op) && !NOT_FOLDABLE_PATTERN.test(op);
}
