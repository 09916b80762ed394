import { parseTensorRef, SHAPE_RULES, symbol, tensorRef, unknownFacts, type Node, type ShapeInference, type ShapeOrigin } from '@modelport/core';

// Ops whose output is not a function of their inputs.
const NOT_FOLDABLE = new Set(['Placeholder', 'PlaceholderWithDefault', 'RandomUniform', 'RandomStandardNormal', 'TruncatedNormal', 'RandomUniformInt', 'Multinomial', 'NoOp']);
/** Ops that read only the shape of their input (the size of an array or list included). */
const SHAPE_READERS = new Set(['Shape', 'ShapeN', 'Size', 'Rank', 'TensorArraySizeV3', 'TensorListLength']);
/**
 * Inputs whose values give an op's output shape: when such a value is computed from input data (a
 * resize by rvm's downsample_ratio, a Fill sized by an NMS count), the output shape varies at run time.
 */
const SHAPE_ARGUMENTS: Readonly<Record<string, readonly number[]>> = {
  Reshape: [1], ResizeBilinear: [1], ResizeNearestNeighbor: [1], Fill: [0], Range: [0, 1, 2], Tile: [1], BroadcastTo: [1],
  Slice: [1, 2], StridedSlice: [1, 2, 3], Pad: [1], PadV2: [1], MirrorPad: [1], Conv2DBackpropInput: [0], SplitV: [1], TopKV2: [1], OneHot: [1],
  SpaceToBatchND: [1, 2], BatchToSpaceND: [1, 2], SparseToDense: [1], NonMaxSuppressionV4: [2], NonMaxSuppressionV5: [2],
};

/** Which nodes have values known at export time, and which have shapes only known at run time. */
export interface ShapeDependence {
  /** Consts, readers of static shapes, and what is computed from those only. */
  readonly foldable: ReadonlySet<string>;
  /** Nodes whose output shapes may depend on input data: Where, NMS, ops sized by a value computed at run time… */
  readonly dynamic: ReadonlySet<string>;
  /** Nodes whose op takes a shape argument computed at run time: LiteRT sizes their outputs as they run, even when the size is proven. */
  readonly sizedByArguments: ReadonlySet<string>;
}

/** 'static' or 'data' when core's inference decides every output of the node, else undefined. */
function decidedOrigin(node: Node, inference: ShapeInference): 'static' | 'data' | undefined {
  if (inference.unknownNodes.has(node.name)) return undefined;
  const origins: ShapeOrigin[] = [];
  for (let i = 0; inference.tensors.has(tensorRef(node.name, i)); i++) origins.push(inference.origin(tensorRef(node.name, i)));
  if (origins.includes('data')) return 'data';
  return origins.length > 0 && origins.every((o) => o === 'static') ? 'static' : undefined;
}

/** Whether core's rule for the op gives a dimension decided by data (Where, NMS, Unique) even when nothing is known of the inputs. */
function sizedByData(node: Node): boolean {
  const rule = SHAPE_RULES[node.op];
  let fresh = false;
  try {
    rule?.({ node, inputs: node.inputs.map(() => unknownFacts()), dtype: 'float32', fresh: () => { fresh = true; return symbol('?', 'data'); } });
  } catch { /* a rule that needs its inputs known sizes nothing by data */ }
  return fresh;
}

/**
 * One pass in topological order. Where core's inference (at the pinned input shapes) decides a
 * node, its answer is the rule: 'data' is dynamic, 'static' is not, and a shape reader folds when
 * its input's shape is proven. Core leaves unknown whatever is inside or after control flow, or
 * behind an op without a shape rule; there the syntactic rule below still decides, because the
 * export must go on: a shape read after a dynamic tensor is not foldable, a value that is not
 * foldable makes what it sizes dynamic, and dynamic spreads to everything computed after it.
 */
export function shapeDependence(nodes: readonly Node[], inference: ShapeInference): ShapeDependence {
  const foldable = new Set<string>();
  const dynamic = new Set<string>();
  const sizedByArguments = new Set<string>();
  for (const node of nodes) {
    const producers = node.inputs.map((r) => parseTensorRef(r).node);
    const sizedAtRunTime = (SHAPE_ARGUMENTS[node.op] ?? []).some((i) => i < producers.length && !foldable.has(producers[i]!));
    if (sizedAtRunTime) sizedByArguments.add(node.name);
    const origin = decidedOrigin(node, inference);
    if (origin === 'data') dynamic.add(node.name);
    else if (origin === undefined && (sizedByData(node) || sizedAtRunTime || producers.some((p) => dynamic.has(p)))) dynamic.add(node.name);
    if (NOT_FOLDABLE.has(node.op)) continue;
    if (node.op === 'Const') foldable.add(node.name);
    else if (SHAPE_READERS.has(node.op)) { if (readsFixedShapes(node, producers, inference, dynamic)) foldable.add(node.name); }
    else if (producers.length > 0 && producers.every((p) => foldable.has(p))) foldable.add(node.name);
  }
  return { foldable, dynamic, sizedByArguments };
}

/** A shape reader's inputs have shapes fixed at export: proven by core, or (where core does not know) not after a dynamic tensor. */
function readsFixedShapes(node: Node, producers: readonly string[], inference: ShapeInference, dynamic: ReadonlySet<string>): boolean {
  const origins = node.inputs.map((r) => inference.origin(r));
  if (origins.every((o) => o === 'static')) return true;
  if (origins.some((o) => o === 'data' || o === 'inputs')) return false;
  return !producers.some((p) => dynamic.has(p));
}
