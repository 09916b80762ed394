import { parseTensorRef, throughIdentities, type LoopVar } from '@modelport/core';
import type { TfliteTensor } from '../subgraph-builder.js';
import type { RegionContext } from './region-context.js';

/** Where a write's list (flow), index and value are among its inputs. */
export const TENSOR_LIST_WRITES: Readonly<Record<string, { list: number; index: number; value: number }>> = {
  TensorArrayWriteV3: { list: 3, index: 1, value: 2 },
  TensorListSetItem: { list: 0, index: 1, value: 2 },
};

/** Where the number of elements is among the inputs of an op creating an empty array or list. */
const SIZE_INPUT: Readonly<Record<string, number>> = { TensorArrayV3: 0, TensorListReserve: 1 };

/**
 * The dense buffer a loop variable starts from when it is an empty TensorArray / TensorList that
 * the body writes one element of per iteration: zeros of [size, ...element shape], the element
 * shape being that of the value written (as the probe run saw it). A string says why not.
 */
export function loopBuffer(v: LoopVar, rc: RegionContext): TfliteTensor | string {
  const { byName, scope, translator } = rc;
  const created = byName.get(parseTensorRef(throughIdentities(v.enter.inputs[0]!, byName)).node);
  const write = byName.get(parseTensorRef(throughIdentities(v.next.inputs[0]!, byName)).node);
  const sizeAt = created && SIZE_INPUT[created.op];
  const spec = write && TENSOR_LIST_WRITES[write.op];
  if (!created || sizeAt === undefined || !write || !spec) return `loop variable starts from "${v.enter.inputs[0]}", which is neither computed nor an empty TensorArray/TensorList the body writes`;
  const size = translator.facts.get(created.inputs[sizeAt]!)?.value;
  if (!size || Number(size[0]) < 0) return `the size of "${created.name}" is computed at run time; TFLite needs it known to allocate the buffer`;
  const element = translator.facts.get(write.inputs[spec.value]!);
  if (!element) return `the element "${write.inputs[spec.value]}" written by "${write.name}" has no known shape`;
  const shape = [Number(size[0]), ...element.shape];
  const dims = scope.constant(`${created.name}/dims`, 'int32', [shape.length], Int32Array.from(shape));
  const zero = scope.constant(`${created.name}/zero`, element.dtype, [], element.dtype === 'float32' ? Float32Array.of(0) : element.dtype === 'int32' ? Int32Array.of(0) : Uint8Array.of(0));
  const buffer = scope.subgraph.tensor(`${created.name}/buffer`, element.dtype, shape);
  scope.subgraph.op('FILL', [dims, zero], [buffer]);
  return buffer;
}
