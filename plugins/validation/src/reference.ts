import {
  defaultSignature, GraphExecutor, onCpuBackend, parseTensorRef, type ExportContext, type Graph, type Signature, type TensorData,
} from '@modelport/core';

/** The source's outputs on the validation inputs: on the usual tfjs backend, and on cpu when asked. */
export interface SourceReference {
  readonly signature: Signature;
  readonly outputs: Record<string, TensorData>;
  /** The same run on tfjs cpu, computed once on first use (see judgeOutput). */
  cpu(): Promise<Record<string, TensorData>>;
  dispose(): void;
}

/**
 * Runs the source: the importer's own reference when it gave one (a layers model's predict), else
 * the loaded graph in tfjs.
 */
export async function runSource(ctx: ExportContext, source: Graph, inputs: Record<string, TensorData>): Promise<SourceReference> {
  const signature = defaultSignature(source);
  let run: () => Promise<Record<string, TensorData>>;
  let dispose = () => {};
  if (ctx.reference) {
    const reference = ctx.reference;
    run = () => reference.predict(inputs);
  } else {
    const executor = await GraphExecutor.create(source, ctx.logger);
    dispose = () => executor.dispose();
    const feeds = Object.fromEntries(Object.entries(signature.inputs).map(([name, spec]) => [parseTensorRef(spec.name).node, inputs[name]!]));
    const names = Object.keys(signature.outputs);
    run = async () => {
      const values = await executor.run(feeds, names.map((n) => signature.outputs[n]!.name));
      return Object.fromEntries(names.map((n, i) => [n, values[i]!]));
    };
  }
  const outputs = await run();
  let cpu: Promise<Record<string, TensorData>> | undefined;
  return { signature, outputs, cpu: () => (cpu ??= onCpuBackend(run)), dispose };
}
