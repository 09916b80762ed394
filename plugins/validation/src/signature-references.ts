import { GraphExecutor, onCpuBackend, type ExportContext, type Graph, type Signature, type TensorData } from '@modelport/core';
import { edgeFeeds, realValuedSignature } from './integer-edges.js';
import { signatureInputs } from './signature-inputs.js';

/** One signature of the export: what it is fed, and the reference graph's answer to it. */
export interface SignatureReference {
  readonly key: string;
  /** The exported signature (its stages, inputs and outputs as the artifacts take them). */
  readonly exported: Signature;
  /** What the artifact is fed (integer edges quantized). */
  readonly inputs: Record<string, TensorData>;
  readonly outputs: Record<string, TensorData>;
  /** The same run on tfjs cpu, computed once on first use (see judgeOutput). */
  cpu(): Promise<Record<string, TensorData>>;
}

/**
 * Runs every signature of the exported graph on the reference graph (the source with the same
 * module signatures) in tfjs, on seeded inputs drawn per signature. `dispose` frees the executor.
 */
export async function runSignatureReferences(
  ctx: ExportContext, exported: Graph, reference: Graph, fillUnknownDims: number,
): Promise<{ references: SignatureReference[]; dispose(): void }> {
  const executor = await GraphExecutor.create(reference, ctx.logger);
  const references: SignatureReference[] = [];
  try {
    for (const [key, signature] of Object.entries(exported.signatures)) {
      const own = reference.signatures[key];
      if (!own) throw new Error(`signature "${key}" of the exported graph is not in the reference graph (it has ${Object.keys(reference.signatures).join(', ')})`);
      const { inputs: real, frozen } = signatureInputs(realValuedSignature(signature), ctx.options.seed ?? 1, fillUnknownDims);
      // Integer edges (int8-full): the artifact gets the quantized values, the reference their real values.
      const { artifact: inputs, source } = edgeFeeds(signature, real);
      // Inputs frozen at export are constants in the artifacts: the reference gets their values.
      const unfed = Object.keys(own.inputs).filter((k) => !source[k] && !frozen[k]);
      if (unfed.length) throw new Error(`signature "${key}": the reference takes input(s) ${unfed.map((k) => `"${k}"`).join(', ')} that the exported signature neither takes nor froze`);
      const feeds = Object.fromEntries(Object.keys(own.inputs).map((k) => [k, source[k] ?? frozen[k]!]));
      const run = () => executor.runSignature(own, feeds);
      let cpu: Promise<Record<string, TensorData>> | undefined;
      references.push({ key, exported: signature, inputs, outputs: await run(), cpu: () => (cpu ??= onCpuBackend(run)) });
    }
  } catch (e) {
    executor.dispose();
    throw e;
  }
  return { references, dispose: () => executor.dispose() };
}
