import { parseOpDef, type OpDef } from './registry/parse-op-def.js';

/**
 * TensorFlow's registrations (tensorflow/core/ops/*.cc REGISTER_OP) of every op the exporter
 * writes, one line each in REGISTER_OP's own words (syntax: registry/parse-op-def.ts). Attrs
 * without a default are the ones TensorFlow requires on a NodeDef; the stripped_op_list of a
 * written SavedModel is made from these. Allowed types are left open except where TensorFlow's
 * kernels differ by them (its loader checks them anyway).
 */
const UNARY = ['Abs', 'Ceil', 'Floor', 'Cos', 'Sin', 'Atan', 'Exp', 'Log', 'Neg', 'Reciprocal', 'Rsqrt', 'Sqrt', 'Square', 'Sigmoid', 'Tanh', 'Round', 'Sign', 'Erf', 'ZerosLike', 'OnesLike']
  .map((op) => `${op}(x: T) -> (y: T) | T: type`);
const PASS_THROUGH = ['Identity', 'StopGradient', 'Snapshot'].map((op) => `${op}(input: T) -> (output: T) | T: type`);
const BINARY = ['Add', 'AddV2', 'Sub', 'Mul', 'Div', 'RealDiv', 'DivNoNan', 'FloorDiv', 'FloorMod', 'Mod', 'Maximum', 'Minimum', 'Pow', 'SquaredDifference']
  .map((op) => `${op}(x: T, y: T) -> (z: T) | T: type`);
const COMPARE = ['Greater', 'GreaterEqual', 'Less', 'LessEqual']
  .map((op) => `${op}(x: T, y: T) -> (z: bool) | T: type`);
const ACTIVATIONS = ['Relu', 'Relu6', 'Elu', 'Selu', 'Softplus']
  .map((op) => `${op}(features: T) -> (activations: T) | T: type`);
const REDUCE = ['Sum', 'Mean', 'Max', 'Min', 'Prod']
  .map((op) => `${op}(input: T, reduction_indices: Tidx) -> (output: T) | keep_dims: bool = false; T: type; Tidx: {int32, int64} = int32`);
const BOOL_REDUCE = ['All', 'Any']
  .map((op) => `${op}(input: bool, reduction_indices: Tidx) -> (output: bool) | keep_dims: bool = false; Tidx: {int32, int64} = int32`);

const DATA_FORMAT = `data_format: {'NHWC', 'NCHW'} = 'NHWC'`;
const CONV = `strides: list(int); use_cudnn_on_gpu: bool = true; padding: {'SAME', 'VALID', 'EXPLICIT'}; explicit_paddings: list(int) = []; ${DATA_FORMAT}; dilations: list(int) = [1, 1, 1, 1]`;
const IDX = (name: string, dflt = 'int32') => `${name}: {int32, int64} = ${dflt}`;

const PLAIN_OPS = [
  ...UNARY, ...PASS_THROUGH, ...BINARY, ...COMPARE, ...ACTIVATIONS, ...REDUCE, ...BOOL_REDUCE,
  'Equal(x: T, y: T) -> (z: bool) | T: type; incompatible_shape_error: bool = true',
  'NotEqual(x: T, y: T) -> (z: bool) | T: type; incompatible_shape_error: bool = true',
  'Atan2(y: T, x: T) -> (z: T) | T: type',
  'LogicalAnd(x: bool, y: bool) -> (z: bool) |',
  'LogicalOr(x: bool, y: bool) -> (z: bool) |',
  'LogicalNot(x: bool) -> (y: bool) |',
  'IsNan(x: T) -> (y: bool) | T: type',
  'LeakyRelu(features: T) -> (activations: T) | alpha: float = 0.2; T: {half, bfloat16, float, double} = float',
  'Softmax(logits: T) -> (softmax: T) | T: type',
  'LogSoftmax(logits: T) -> (logsoftmax: T) | T: type',
  'ClipByValue(t: T, clip_value_min: T, clip_value_max: T) -> (output: T) | T: type',
  'AddN(inputs: N * T) -> (sum: T) | N: int >= 1; T: type',
  `ArgMax(input: T, dimension: Tidx) -> (output: output_type) | T: type; Tidx: {int16, int32, int64} = int32; output_type: {int16, uint16, int32, int64} = int64`,
  `ArgMin(input: T, dimension: Tidx) -> (output: output_type) | T: type; Tidx: {int16, int32, int64} = int32; output_type: {int16, uint16, int32, int64} = int64`,
  `AvgPool(value: T) -> (output: T) | ksize: list(int) >= 4; strides: list(int) >= 4; padding: {'SAME', 'VALID'}; ${DATA_FORMAT}; T: {half, bfloat16, float, double}`,
  `MaxPool(input: T) -> (output: T) | T: type = float; ksize: list(int) >= 4; strides: list(int) >= 4; padding: {'SAME', 'VALID', 'EXPLICIT'}; explicit_paddings: list(int) = []; data_format: {'NHWC', 'NCHW', 'NCHW_VECT_C'} = 'NHWC'`,
  'MatMul(a: T, b: T) -> (product: T) | transpose_a: bool = false; transpose_b: bool = false; T: type; grad_a: bool = false; grad_b: bool = false',
  'BatchMatMulV2(x: T, y: T) -> (output: T) | T: type; adj_x: bool = false; adj_y: bool = false; grad_x: bool = false; grad_y: bool = false',
  `BatchToSpaceND(input: T, block_shape: Tblock_shape, crops: Tcrops) -> (output: T) | T: type; ${IDX('Tblock_shape')}; ${IDX('Tcrops')}`,
  `SpaceToBatchND(input: T, block_shape: Tblock_shape, paddings: Tpaddings) -> (output: T) | T: type; ${IDX('Tblock_shape')}; ${IDX('Tpaddings')}`,
  `BiasAdd(value: T, bias: T) -> (output: T) | T: type; ${DATA_FORMAT}`,
  `BroadcastTo(input: T, shape: Tidx) -> (output: T) | T: type; ${IDX('Tidx')}`,
  'Cast(x: SrcT) -> (y: DstT) | SrcT: type; DstT: type; Truncate: bool = false',
  `ConcatV2(values: N * T, axis: Tidx) -> (output: T) | N: int >= 2; T: type; ${IDX('Tidx')}`,
  'Const() -> (output: dtype) | value: tensor; dtype: type',
  `Conv2D(input: T, filter: T) -> (output: T) | T: {half, bfloat16, float, double, int32}; ${CONV}`,
  `Conv2DBackpropInput(input_sizes: int32, filter: T, out_backprop: T) -> (output: T) | T: {half, bfloat16, float, double, int32}; ${CONV}`,
  `DepthwiseConv2dNative(input: T, filter: T) -> (output: T) | T: {half, bfloat16, float, double}; strides: list(int); padding: {'SAME', 'VALID', 'EXPLICIT'}; explicit_paddings: list(int) = []; ${DATA_FORMAT}; dilations: list(int) = [1, 1, 1, 1]`,
  `DepthToSpace(input: T) -> (output: T) | T: type; block_size: int >= 2; data_format: {'NHWC', 'NCHW', 'NCHW_VECT_C'} = 'NHWC'`,
  `SpaceToDepth(input: T) -> (output: T) | T: type; block_size: int >= 2; data_format: {'NHWC', 'NCHW', 'NCHW_VECT_C'} = 'NHWC'`,
  `FusedBatchNormV3(x: T, scale: U, offset: U, mean: U, variance: U) -> (y: T, batch_mean: U, batch_variance: U, reserve_space_1: U, reserve_space_2: U, reserve_space_3: U) | T: {half, bfloat16, float}; U: {bfloat16, float}; epsilon: float = 0.0001; exponential_avg_factor: float = 1; data_format: {'NHWC', 'NCHW', 'NDHWC', 'NCDHW'} = 'NHWC'; is_training: bool = true`,
  `ExpandDims(input: T, dim: Tdim) -> (output: T) | T: type; ${IDX('Tdim')}`,
  `Fill(dims: index_type, value: T) -> (output: T) | T: type; ${IDX('index_type')}`,
  `GatherNd(params: Tparams, indices: Tindices) -> (output: Tparams) | Tparams: type; Tindices: {int16, int32, int64}; bad_indices_policy: string = ''`,
  'GatherV2(params: Tparams, indices: Tindices, axis: Taxis) -> (output: Tparams) | batch_dims: int = 0; Tparams: type; Tindices: {int16, int32, int64}; Taxis: {int32, int64}',
  'NonMaxSuppressionV3(boxes: T, scores: T, max_output_size: int32, iou_threshold: T_threshold, score_threshold: T_threshold) -> (selected_indices: int32) | T: {half, float} = float; T_threshold: {half, float} = float',
  'NonMaxSuppressionV4(boxes: T, scores: T, max_output_size: int32, iou_threshold: T_threshold, score_threshold: T_threshold) -> (selected_indices: int32, valid_outputs: int32) | T: {half, float} = float; T_threshold: {half, float} = float; pad_to_max_output_size: bool = false',
  'NonMaxSuppressionV5(boxes: T, scores: T, max_output_size: int32, iou_threshold: T, score_threshold: T, soft_nms_sigma: T) -> (selected_indices: int32, selected_scores: T, valid_outputs: int32) | T: {half, float} = float; pad_to_max_output_size: bool = false',
  `OneHot(indices: TI, depth: int32, on_value: T, off_value: T) -> (output: T) | axis: int = -1; T: type; TI: {uint8, int8, int32, int64} = int64`,
  'Pack(values: N * T) -> (output: T) | N: int >= 1; T: type; axis: int = 0',
  'Unpack(value: T) -> (output: num * T) | num: int >= 0; T: type; axis: int = 0',
  `Pad(input: T, paddings: Tpaddings) -> (output: T) | T: type; ${IDX('Tpaddings')}`,
  `PadV2(input: T, paddings: Tpaddings, constant_values: T) -> (output: T) | T: type; ${IDX('Tpaddings')}`,
  `MirrorPad(input: T, paddings: Tpaddings) -> (output: T) | T: type; ${IDX('Tpaddings')}; mode: {'REFLECT', 'SYMMETRIC'}`,
  'Placeholder() -> (output: dtype) | dtype: type; shape: shape = ?',
  'PlaceholderWithDefault(input: dtype) -> (output: dtype) | dtype: type; shape: shape',
  'Range(start: Tidx, limit: Tidx, delta: Tidx) -> (output: Tidx) | Tidx: {bfloat16, half, float, double, int8, int16, int32, int64, uint16, uint32} = int32',
  `Reshape(tensor: T, shape: Tshape) -> (output: T) | T: type; ${IDX('Tshape')}`,
  'ResizeBilinear(images: T, size: int32) -> (resized_images: float) | T: type; align_corners: bool = false; half_pixel_centers: bool = false',
  'ResizeNearestNeighbor(images: T, size: int32) -> (resized_images: T) | T: type; align_corners: bool = false; half_pixel_centers: bool = false',
  'Select(condition: bool, t: T, e: T) -> (output: T) | T: type',
  'SelectV2(condition: bool, t: T, e: T) -> (output: T) | T: type',
  `Shape(input: T) -> (output: out_type) | T: type; ${IDX('out_type')}`,
  `Size(input: T) -> (output: out_type) | T: type; ${IDX('out_type')}`,
  'Slice(input: T, begin: Index, size: Index) -> (output: T) | T: type; Index: {int32, int64}',
  'SparseToDense(sparse_indices: Tindices, output_shape: Tindices, sparse_values: T, default_value: T) -> (dense: T) | validate_indices: bool = true; T: type; Tindices: {int32, int64}',
  'Split(split_dim: int32, value: T) -> (output: num_split * T) | num_split: int >= 1; T: type',
  'SplitV(value: T, size_splits: Tlen, split_dim: int32) -> (output: num_split * T) | num_split: int >= 1; T: type; Tlen: {int8, int32, int64} = int64',
  'Squeeze(input: T) -> (output: T) | T: type; squeeze_dims: list(int) >= 0 = []',
  'StridedSlice(input: T, begin: Index, end: Index, strides: Index) -> (output: T) | T: type; Index: {int16, int32, int64}; begin_mask: int = 0; end_mask: int = 0; ellipsis_mask: int = 0; new_axis_mask: int = 0; shrink_axis_mask: int = 0',
  `Tile(input: T, multiples: Tmultiples) -> (output: T) | T: type; ${IDX('Tmultiples')}`,
  'TopKV2(input: T, k: Tk) -> (values: T, indices: index_type) | sorted: bool = true; T: type; Tk: {int16, int32, int64} = int32; index_type: {int16, int32, int64} = int32',
  `Transpose(x: T, perm: Tperm) -> (y: T) | T: type; ${IDX('Tperm')}`,
  'Where(input: T) -> (index: int64) | T: type = bool',
  'NoOp() -> () |',
  // Version-1 control flow, as TensorFlow 1 graphs (and tfjs models converted from them) have it.
  'Enter(data: T) -> (output: T) | T: type; frame_name: string; is_constant: bool = false; parallel_iterations: int = 10',
  'Exit(data: T) -> (output: T) | T: type',
  'NextIteration(data: T) -> (output: T) | T: type',
  'LoopCond(input: bool) -> (output: bool) |',
  'Merge(inputs: N * T) -> (output: T, value_index: int32) | T: type; N: int >= 1',
  'Switch(data: T, pred: bool) -> (output_false: T, output_true: T) | T: type',
  'TensorArrayGatherV3(handle: resource, indices: int32, flow_in: float) -> (value: dtype) | dtype: type; element_shape: shape = ?',
  'TensorArrayReadV3(handle: resource, index: int32, flow_in: float) -> (value: dtype) | dtype: type',
  'TensorArraySizeV3(handle: resource, flow_in: float) -> (size: int32) |',
  'TensorListFromTensor(tensor: element_dtype, element_shape: shape_type) -> (output_handle: variant) | element_dtype: type; shape_type: {int32, int64}',
  'TensorListGetItem(input_handle: variant, index: int32, element_shape: int32) -> (item: element_dtype) | element_dtype: type',
  'TensorListReserve(element_shape: shape_type, num_elements: int32) -> (handle: variant) | element_dtype: type; shape_type: {int32, int64}',
  'TensorListSetItem(input_handle: variant, index: int32, item: element_dtype) -> (output_handle: variant) | element_dtype: type; resize_if_index_out_of_bounds: bool = false',
  'TensorListStack(input_handle: variant, element_shape: int32) -> (tensor: element_dtype) | element_dtype: type; num_elements: int = -1',
  // The save and restore graph of TF1 variables (saver_def), as tf.compat.v1.train.Saver writes it.
  'ShardedFilename(basename: string, shard: int32, num_shards: int32) -> (filename: string) |',
  'StringJoin(inputs: N * string) -> (output: string) | N: int >= 0; separator: string = \'\'',
  'StaticRegexFullMatch(input: string) -> (output: bool) | pattern: string',
];

/** Ops TensorFlow marks SetIsStateful(): it never folds or prunes them as pure functions. */
const STATEFUL_OPS = [
  "TensorArrayV3(size: int32) -> (handle: resource, flow: float) | dtype: type; element_shape: shape = ?; dynamic_size: bool = false; clear_after_read: bool = true; identical_element_shapes: bool = false; tensor_array_name: string = ''",
  'TensorArrayScatterV3(handle: resource, indices: int32, value: T, flow_in: float) -> (flow_out: float) | T: type',
  'TensorArrayWriteV3(handle: resource, index: int32, value: T, flow_in: float) -> (flow_out: float) | T: type',
  "VarHandleOp() -> (resource: resource) | container: string = ''; shared_name: string = ''; debug_name: string = ''; dtype: type; shape: shape; allowed_devices: list(string) = []",
  'ReadVariableOp(resource: resource) -> (value: dtype) | dtype: type',
  'AssignVariableOp(resource: resource, value: dtype) -> () | dtype: type; validate_shape: bool = false',
  'VarIsInitializedOp(resource: resource) -> (is_initialized: bool) |',
  'SaveV2(prefix: string, tensor_names: string, shape_and_slices: string, tensors: dtypes) -> () | dtypes: list(type) >= 1',
  'RestoreV2(prefix: string, tensor_names: string, shape_and_slices: string) -> (tensors: dtypes) | dtypes: list(type) >= 1',
  'MergeV2Checkpoints(checkpoint_prefixes: string, destination_prefix: string) -> () | delete_old_dirs: bool = true; allow_missing_files: bool = false',
];

/** TensorFlow's OpDefs by op name. */
export const TF_OPS: ReadonlyMap<string, OpDef> = new Map([
  ...PLAIN_OPS.map((line) => parseOpDef(line)),
  ...STATEFUL_OPS.map((line) => parseOpDef(line, true)),
].map((def) => [def.name, def]));

export type { OpDef, ArgDef, AttrDef } from './registry/parse-op-def.js';
