import type { Signature } from './graph/types.js';
import type { TensorData } from './tensors/tensor-data.js';

/** A loaded model behind one runtime: named tensors in, named tensors out. Serving and validation use it. */
export interface Predictor {
  readonly format: string;
  /** Signatures by key; `predict` takes and returns tensors by their signature names. */
  readonly signatures: Readonly<Record<string, Signature>>;
  predict(inputs: Readonly<Record<string, TensorData>>, signature?: string): Promise<Record<string, TensorData>>;
  dispose(): Promise<void>;
}
