import { readModelFile, type ArtifactDescriber, type ArtifactDescription, type DescribedTensor } from '@modelport/core';
import { describeTflite, type TfliteDescription, type TfliteTensorDescription } from './describe-tflite.js';

function tensor(name: string, t: TfliteTensorDescription): DescribedTensor {
  return {
    name, dtype: t.dtype, shape: t.shape, dynamic: t.shape.some((d) => d < 0),
    ...(t.declaredShape ? { note: `source [${t.declaredShape.join(', ')}], pinned at export` } : {}),
  };
}

/** The TFLite reading in the terms every format is shown in. */
export function tfliteArtifactDescription(d: TfliteDescription): ArtifactDescription {
  const inputs = Object.values(d.signatures).flatMap((s) => Object.entries(s.inputs));
  const pinned = [...new Set(inputs.filter(([, t]) => t.declaredShape?.some((x) => x < 0)).map(([n]) => n))];
  return {
    format: 'tflite',
    summary: `TFLite schema ${d.schemaVersion}, ${d.subgraphs} subgraph(s); description: ${d.description || '(none)'}`,
    signatures: Object.fromEntries(Object.entries(d.signatures).map(([key, s]) => [key, {
      inputs: Object.entries(s.inputs).map(([n, t]) => tensor(n, t)),
      outputs: Object.entries(s.outputs).map(([n, t]) => tensor(n, t)),
      frozenInputs: Object.entries(s.frozenInputs ?? {}).map(([n, f]) => ({ name: n, tensor: f.name, dtype: f.dtype, shape: f.shape, values: f.values })),
      ...(s.stages ? { stages: s.stages } : {}),
    }])),
    shapeNotes: pinned.length ? [`inputs dynamic in the source, static here: ${pinned.join(', ')}`] : [],
    ops: d.ops, opUnit: 'operators',
    details: [
      { label: 'tensors', value: d.tensors },
      { label: 'weights', value: d.weightBytes, unit: 'bytes' },
      { label: 'metadata', value: d.metadata.join(', ') || '(none)' },
    ],
    size: d.size,
  };
}

/** `modelport inspect model.tflite`: signatures, operators over all subgraphs, tensors, metadata. */
export const tfliteDescriber: ArtifactDescriber = {
  format: 'tflite',
  description: 'a .tflite flatbuffer (schema 3)',
  matches: (file) => /\.tflite$/i.test(file),
  async describe(file) {
    const bytes = await readModelFile(file);
    return tfliteArtifactDescription(describeTflite(new Uint8Array(bytes), file));
  },
};
