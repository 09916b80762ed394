import { parseTensorRef, type Node } from '@modelport/core';

// Ops whose output is not a function of their inputs.
const NOT_FOLDABLE = new Set(['Placeholder', 'PlaceholderWithDefault', 'RandomUniform', 'RandomStandardNormal', 'TruncatedNormal', 'RandomUniformInt', 'Multinomial', 'NoOp']);
/** Ops whose output length is decided by the input data itself. */
const SIZED_BY_DATA = new Set(['Where', 'NonMaxSuppressionV2', 'NonMaxSuppressionV3', 'NonMaxSuppressionV4', 'NonMaxSuppressionV5', 'Unique', 'SparseToDense']);
/** Ops that read only the shape of their input (the size of an array or list included). */
const SHAPE_READERS = new Set(['Shape', 'ShapeN', 'Size', 'Rank', 'TensorArraySizeV3', 'TensorListLength']);
/**
 * Inputs whose values give an op's output shape: when such a value is computed from input data (a
 * resize by rvm's downsample_ratio, a Fill sized by an NMS count), the output shape varies at run time.
 */
const SHAPE_ARGUMENTS: Readonly<Record<string, readonly number[]>> = {
  Reshape: [1], ResizeBilinear: [1], ResizeNearestNeighbor: [1], Fill: [0], Range: [0, 1, 2], Tile: [1], BroadcastTo: [1],
  Slice: [1, 2], StridedSlice: [1, 2, 3], Pad: [1], PadV2: [1], MirrorPad: [1], Conv2DBackpropInput: [0], SplitV: [1], TopKV2: [1], OneHot: [1],
  SpaceToBatchND: [1, 2], BatchToSpaceND: [1, 2],
};

/** Which nodes have values known at export time, and which have shapes only known at run time. */
export interface ShapeDependence {
  /** Consts, readers of static shapes, and what is computed from those only. */
  readonly foldable: ReadonlySet<string>;
  /**
   * Nodes whose output shapes may depend on input data: Where, NMS, ops sized by a value computed
   * at run time, and everything computed after them (an over-approximation: a Pad back to a fixed
   * size is counted too).
   */
  readonly dynamic: ReadonlySet<string>;
}

/** One pass in topological order: a shape read after a dynamic tensor is not foldable, and a value that is not foldable makes what it sizes dynamic. */
export function shapeDependence(nodes: readonly Node[]): ShapeDependence {
  const foldable = new Set<string>();
  const dynamic = new Set<string>();
  for (const node of nodes) {
    const producers = node.inputs.map((r) => parseTensorRef(r).node);
    const sizedAtRunTime = (SHAPE_ARGUMENTS[node.op] ?? []).some((i) => i < producers.length && !foldable.has(producers[i]!));
    if (SIZED_BY_DATA.has(node.op) || sizedAtRunTime || producers.some((p) => dynamic.has(p))) dynamic.add(node.name);
    if (NOT_FOLDABLE.has(node.op)) continue;
    if (node.op === 'Const') foldable.add(node.name);
    else if (SHAPE_READERS.has(node.op)) { if (!producers.some((p) => dynamic.has(p))) foldable.add(node.name); }
    else if (producers.length > 0 && producers.every((p) => foldable.has(p))) foldable.add(node.name);
  }
  return { foldable, dynamic };
}
