import {
  dequantizeValues, quantizeValues, type Quantization, type Signature, type SignatureTensor, type TensorData,
} from '@modelport/core';

// An int8-full artifact is fed and answers integers at the edges its signature marks with a
// `quantization` (real = scale × (q − zeroPoint)). Validation works on real values: it quantizes
// the float inputs for the artifact, feeds the source those same integers' real values (so both
// see the same numbers), and reads integer outputs back as real values before comparing.

const INTEGER_EDGE_DTYPES = new Set(['int8', 'uint8']);

function edgeQuantization(spec: SignatureTensor | undefined): Quantization | undefined {
  const q = spec?.quantization;
  return q && INTEGER_EDGE_DTYPES.has(q.dtype ?? String(spec!.dtype)) ? q : undefined;
}

function edgeDType(spec: SignatureTensor, q: Quantization): 'int8' | 'uint8' {
  return (q.dtype ?? spec.dtype) as 'int8' | 'uint8';
}

/** The signature as callers see it in real values: integer edges become float32, for generating or reading inputs. */
export function realValuedSignature(signature: Signature): Signature {
  const inputs = Object.fromEntries(Object.entries(signature.inputs).map(([name, spec]) => [name, edgeQuantization(spec) ? { ...spec, dtype: 'float32' } : spec]));
  return { ...signature, inputs };
}

/** What the artifact and the source are fed for one sample. */
export interface EdgeFeeds {
  readonly artifact: Record<string, TensorData>;
  readonly source: Record<string, TensorData>;
}

/**
 * The feeds of one sample of real-valued inputs: an integer edge gets the quantized values, the
 * source their dequantized values; an input given already as integers of the edge's type is taken as is.
 */
export function edgeFeeds(signature: Signature, inputs: Readonly<Record<string, TensorData>>): EdgeFeeds {
  const artifact: Record<string, TensorData> = {};
  const source: Record<string, TensorData> = {};
  for (const [name, value] of Object.entries(inputs)) {
    const spec = signature.inputs[name];
    const q = edgeQuantization(spec);
    if (!q) { artifact[name] = value; source[name] = value; continue; }
    const dtype = edgeDType(spec!, q);
    const integers = value.dtype === dtype ? value.data as ArrayLike<number> : quantizeValues(value.data as ArrayLike<number>, value.shape, { ...q, dtype });
    artifact[name] = { dtype, shape: value.shape, data: integers instanceof Int8Array || integers instanceof Uint8Array ? integers : dtype === 'int8' ? Int8Array.from(integers) : Uint8Array.from(integers) };
    source[name] = { dtype: 'float32', shape: value.shape, data: dequantizeValues(integers, value.shape, q) };
  }
  return { artifact, source };
}

/** The artifact's outputs in real values: integer edges dequantized with their signature's parameters. */
export function realValuedOutputs(signature: Signature, outputs: Readonly<Record<string, TensorData>>): Record<string, TensorData> {
  return Object.fromEntries(Object.entries(outputs).map(([name, value]) => {
    const q = edgeQuantization(signature.outputs[name]);
    if (!q || value.dtype.startsWith('float')) return [name, value];
    return [name, { dtype: 'float32', shape: value.shape, data: dequantizeValues(value.data as ArrayLike<number>, value.shape, q) }];
  }));
}
