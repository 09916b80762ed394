import { attr, float32ToFloat16Array, isKnownDType, type ConstantTensor, type DType, type Node, type TensorData, type TypedArray } from '@modelport/core';

// Where TensorFlow ops declare their output type, most specific first (Cast's DstT, Shape's
// out_type, ArgMax's output_type, …, then the T most ops share with their inputs).
const OUTPUT_TYPE_ATTRS = ['DstT', 'out_type', 'output_type', 'Tout', 'T', 'Tparams', 'Tidx', 'dtype'];

type Family = 'float' | 'int' | 'bool' | 'other';
function family(dtype: string): Family {
  if (dtype.startsWith('float')) return 'float';
  if (/^u?int\d+$/.test(dtype)) return 'int';
  return dtype === 'bool' ? 'bool' : 'other';
}

/**
 * The dtype the graph declares for output `index` of `node`, when it is of the same kind as what
 * tfjs computed: tfjs has no int64, float16 or float64 and computes them as int32 and float32, but
 * the folded constant must keep the type the graph's other nodes (and other formats) expect.
 */
export function declaredOutputDType(node: Node, index: number, computed: DType): DType {
  const known = node.outputs?.[index]?.dtype;
  const candidates = [known, ...OUTPUT_TYPE_ATTRS.map((name) => attr.dtype(node, name, ''))];
  const declared = candidates.find((d): d is string => !!d);
  return declared && isKnownDType(declared) && family(declared) === family(computed) && family(computed) !== 'other' ? declared : computed;
}

/** Values of a tensor tfjs computed, as a constant of `dtype` (a copy: the IR owns its arrays). */
export function constantFromTensor(t: TensorData, dtype: DType): ConstantTensor {
  const values = t.data as TypedArray;
  const shape = [...t.shape];
  switch (dtype) {
    case 'int64': return { dtype, shape, values: BigInt64Array.from(values as ArrayLike<number>, (v) => BigInt(v)) };
    case 'float16': return { dtype, shape, values: float32ToFloat16Array(values as ArrayLike<number>) };
    case 'float64': return { dtype, shape, values: Float64Array.from(values as ArrayLike<number>) };
    case 'int8': return { dtype, shape, values: Int8Array.from(values as ArrayLike<number>) };
    case 'int16': return { dtype, shape, values: Int16Array.from(values as ArrayLike<number>) };
    case 'uint8': return { dtype, shape, values: Uint8Array.from(values as ArrayLike<number>) };
    case 'uint16': return { dtype, shape, values: Uint16Array.from(values as ArrayLike<number>) };
    case 'uint32': return { dtype, shape, values: Uint32Array.from(values as ArrayLike<number>) };
    case 'float32': return { dtype, shape, values: Float32Array.from(values as ArrayLike<number>) };
    case 'int32': return { dtype, shape, values: Int32Array.from(values as ArrayLike<number>) };
    case 'bool': return { dtype, shape, values: Uint8Array.from(values as ArrayLike<number>) };
    default: throw new TypeError(`a ${dtype} tensor cannot be stored as a folded constant`);
  }
}
