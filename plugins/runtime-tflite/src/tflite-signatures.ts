import { ModelLoadError, RuntimeLimitError, type Signature, type SignatureTensor } from '@modelport/core';
import { modelportMetadata } from './describe-tflite.js';
import type { EdgeDType, InputSpec } from './input-tensors.js';
import type { TfliteModelInfo } from './read-tflite.js';
import { tensorTypeName } from './tflite-names.js';

/** A signature as the predictor serves it: the core Signature, what each input takes, which outputs are bool. */
export interface SignatureIo {
  readonly signature: Signature;
  readonly inputs: readonly InputSpec[];
  /** Outputs the source declared bool: the file holds them as uint8. */
  readonly boolOutputs: ReadonlySet<string>;
  /** Outputs the data sizes (after Where or NMS), fixed in the file to the size the export saw. */
  readonly sizedAtRunTime: readonly string[];
}

/**
 * Core signatures of the file: names and shapes from the SignatureDefs (the shapes the runtime takes,
 * since LiteRT cannot resize inputs; the source's -1 stays in `describeTflite`), dtypes the source declared.
 */
export function signaturesOf(model: TfliteModelInfo, file: string): Map<string, SignatureIo> {
  const source = modelportMetadata(model).signatures ?? {};
  const out = new Map<string, SignatureIo>();
  for (const s of model.signatures) {
    const g = model.subgraphs[s.subgraph];
    if (!g) throw new ModelLoadError(`signature "${s.key}" names subgraph ${s.subgraph}, the model has ${model.subgraphs.length}`, { file });
    const declared = source[s.key];
    const side = (maps: typeof s.inputs, which: 'inputs' | 'outputs'): Record<string, SignatureTensor> => Object.fromEntries(maps.map((m) => {
      const t = g.tensors[m.tensor];
      const from = declared?.[which]?.[m.name];
      const inFile = tensorTypeName(t?.type ?? 0);
      // Inputs accept the source dtype (converted on the way in); outputs come back as the file has them, bool excepted.
      const dtype = which === 'inputs' ? from?.dtype ?? inFile : from?.dtype === 'bool' ? 'bool' : inFile;
      return [m.name, { name: t?.name ?? m.name, dtype, shape: t?.shapeSignature ?? t?.shape ?? from?.shape ?? null }];
    }));
    const inputs: InputSpec[] = s.inputs.map((m) => {
      const t = g.tensors[m.tensor];
      const dtype = tensorTypeName(t?.type ?? -1);
      if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'uint8') throw new RuntimeLimitError(`input "${m.name}" is ${dtype}; LiteRT.js only takes float32, int32 and uint8 inputs (the TFLite C++ runtime runs it)`, { file });
      return { key: m.name, dtype: dtype as EdgeDType, shape: t?.shape ?? [] };
    });
    const boolOutputs = new Set(s.outputs.filter((m) => declared?.outputs?.[m.name]?.dtype === 'bool').map((m) => m.name));
    const sizedAtRunTime = s.outputs.filter((m) => declared?.outputs?.[m.name]?.sizedAtRunTime === true).map((m) => m.name);
    const composed = { ...(declared?.stages ? { stages: declared.stages } : {}), ...(declared?.moduleMetadata ? { moduleMetadata: declared.moduleMetadata } : {}) };
    out.set(s.key, { signature: { inputs: side(s.inputs, 'inputs'), outputs: side(s.outputs, 'outputs'), ...composed }, inputs, boolOutputs, sizedAtRunTime });
  }
  return out;
}
