import type { Builder } from 'flatbuffers';
import { builtinOptionsType, type BuiltinOptionsName } from './enums.js';

type FieldType = 'bool' | 'byte' | 'int' | 'uint' | 'float' | 'int[]';
/** One field of an options table: its name, type and schema default (the slot is its position). */
type FieldSpec = readonly [name: string, type: FieldType, defaultValue?: number];

/**
 * The builtin options tables this exporter writes, each as its fields in schema order (a field's
 * vtable slot is its position, deprecated fields included). Tables without fields are listed empty.
 */
const OPTIONS_TABLES = {
  Conv2DOptions: [['padding', 'byte'], ['stride_w', 'int'], ['stride_h', 'int'], ['fused_activation_function', 'byte'], ['dilation_w_factor', 'int', 1], ['dilation_h_factor', 'int', 1]],
  DepthwiseConv2DOptions: [['padding', 'byte'], ['stride_w', 'int'], ['stride_h', 'int'], ['depth_multiplier', 'int'], ['fused_activation_function', 'byte'], ['dilation_w_factor', 'int', 1], ['dilation_h_factor', 'int', 1]],
  Pool2DOptions: [['padding', 'byte'], ['stride_w', 'int'], ['stride_h', 'int'], ['filter_width', 'int'], ['filter_height', 'int'], ['fused_activation_function', 'byte']],
  FullyConnectedOptions: [['fused_activation_function', 'byte'], ['weights_format', 'byte'], ['keep_num_dims', 'bool'], ['asymmetric_quantize_inputs', 'bool']],
  SoftmaxOptions: [['beta', 'float']],
  ConcatenationOptions: [['axis', 'int'], ['fused_activation_function', 'byte']],
  AddOptions: [['fused_activation_function', 'byte'], ['pot_scale_int16', 'bool', 1]],
  SubOptions: [['fused_activation_function', 'byte'], ['pot_scale_int16', 'bool', 1]],
  MulOptions: [['fused_activation_function', 'byte']],
  DivOptions: [['fused_activation_function', 'byte']],
  ResizeBilinearOptions: [['new_height', 'int'], ['new_width', 'int'], ['align_corners', 'bool'], ['half_pixel_centers', 'bool']],
  ResizeNearestNeighborOptions: [['align_corners', 'bool'], ['half_pixel_centers', 'bool']],
  ReshapeOptions: [['new_shape', 'int[]']],
  SpaceToDepthOptions: [['block_size', 'int']],
  DepthToSpaceOptions: [['block_size', 'int']],
  GatherOptions: [['axis', 'int'], ['batch_dims', 'int']],
  ReducerOptions: [['keep_dims', 'bool']],
  SqueezeOptions: [['squeeze_dims', 'int[]']],
  SplitOptions: [['num_splits', 'int']],
  SplitVOptions: [['num_splits', 'int']],
  StridedSliceOptions: [['begin_mask', 'int'], ['end_mask', 'int'], ['ellipsis_mask', 'int'], ['new_axis_mask', 'int'], ['shrink_axis_mask', 'int'], ['offset', 'bool']],
  CastOptions: [['in_data_type', 'byte'], ['out_data_type', 'byte']],
  ArgMaxOptions: [['output_type', 'byte']],
  ArgMinOptions: [['output_type', 'byte']],
  TransposeConvOptions: [['padding', 'byte'], ['stride_w', 'int'], ['stride_h', 'int'], ['fused_activation_function', 'byte']],
  PackOptions: [['values_count', 'int'], ['axis', 'int']],
  UnpackOptions: [['num', 'int'], ['axis', 'int']],
  LeakyReluOptions: [['alpha', 'float']],
  ShapeOptions: [['out_type', 'byte']],
  MirrorPadOptions: [['mode', 'byte']],
  BatchMatMulOptions: [['adj_x', 'bool'], ['adj_y', 'bool'], ['asymmetric_quantize_inputs', 'bool']],
  IfOptions: [['then_subgraph_index', 'int'], ['else_subgraph_index', 'int']],
  WhileOptions: [['cond_subgraph_index', 'int'], ['body_subgraph_index', 'int']],
  CumsumOptions: [['exclusive', 'bool'], ['reverse', 'bool']],
  GeluOptions: [['approximate', 'bool']],
  TopKV2Options: [],
  PadOptions: [],
  PadV2Options: [],
  TransposeOptions: [],
  ExpandDimsOptions: [],
  TileOptions: [],
  SliceOptions: [],
  GatherNdOptions: [],
  SelectV2Options: [],
  AddNOptions: [],
  FillOptions: [],
  RangeOptions: [],
  DequantizeOptions: [],
  MaximumMinimumOptions: [],
  SquaredDifferenceOptions: [],
  BroadcastToOptions: [],
  NonMaxSuppressionV4Options: [],
  NonMaxSuppressionV5Options: [],
  WhereOptions: [],
  DynamicUpdateSliceOptions: [],
} as const satisfies Partial<Record<BuiltinOptionsName, readonly FieldSpec[]>>;

export type OptionsKind = keyof typeof OPTIONS_TABLES;
type FieldNames<K extends OptionsKind> = (typeof OPTIONS_TABLES)[K][number][0];
type FieldValue = number | boolean | readonly number[];

/** The options of one operator: which table, and the fields that differ from their defaults. */
export type BuiltinOptions = {
  [K in OptionsKind]: { readonly kind: K; readonly values?: Partial<Record<FieldNames<K>, FieldValue>> };
}[OptionsKind];

/** Shorthand with types: options('Conv2DOptions', { padding: 0, … }). */
export function options<K extends OptionsKind>(kind: K, values?: Partial<Record<FieldNames<K>, FieldValue>>): BuiltinOptions {
  return { kind, ...(values ? { values } : {}) } as BuiltinOptions;
}

/** Writes an options table; returns its union type value and offset. */
export function writeBuiltinOptions(b: Builder, opts: BuiltinOptions): { type: number; offset: number } {
  const fields = OPTIONS_TABLES[opts.kind] as readonly FieldSpec[];
  const values = (opts.values ?? {}) as Record<string, FieldValue | undefined>;
  // Vectors are written before the table starts, as flatbuffers requires.
  const vectors = new Map<string, number>();
  for (const [name, type] of fields) {
    const v = values[name];
    if (type === 'int[]' && Array.isArray(v)) vectors.set(name, intVector(b, v));
  }
  b.startObject(fields.length);
  fields.forEach(([name, type, def = 0], slot) => {
    const v = values[name];
    if (v === undefined) return;
    switch (type) {
      case 'bool': b.addFieldInt8(slot, v ? 1 : 0, def); break;
      case 'byte': b.addFieldInt8(slot, v as number, def); break;
      case 'int': case 'uint': b.addFieldInt32(slot, v as number, def); break;
      case 'float': b.addFieldFloat32(slot, v as number, def); break;
      case 'int[]': b.addFieldOffset(slot, vectors.get(name)!, 0); break;
    }
  });
  return { type: builtinOptionsType(opts.kind), offset: b.endObject() };
}

/** A vector of int32. */
export function intVector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}
