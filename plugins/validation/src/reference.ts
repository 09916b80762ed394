import {
  defaultSignature, GraphExecutor, onCpuBackend, type ExportContext, type Graph, type Signature, type TensorData,
} from '@modelport/core';

/** The source model, ready to run on any inputs: on the usual tfjs backend, or on cpu. */
export interface SourceRunner {
  readonly signature: Signature;
  run(inputs: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  runOnCpu(inputs: Record<string, TensorData>): Promise<Record<string, TensorData>>;
  dispose(): void;
}

/** The source's outputs on the validation inputs: on the usual tfjs backend, and on cpu when asked. */
export interface SourceReference {
  readonly signature: Signature;
  readonly outputs: Record<string, TensorData>;
  /** The same run on tfjs cpu, computed once on first use (see judgeOutput). */
  cpu(): Promise<Record<string, TensorData>>;
  dispose(): void;
}

/**
 * Opens the source: the importer's own reference when it gave one (a layers model's predict), else
 * the loaded graph in tfjs.
 */
export async function openSource(ctx: ExportContext, source: Graph): Promise<SourceRunner> {
  const signature = defaultSignature(source);
  let run: (inputs: Record<string, TensorData>) => Promise<Record<string, TensorData>>;
  let dispose = () => {};
  if (ctx.reference) {
    const reference = ctx.reference;
    run = (inputs) => reference.predict(inputs);
  } else {
    const executor = await GraphExecutor.create(source, ctx.logger);
    dispose = () => executor.dispose();
    run = (inputs) => executor.runSignature(signature, inputs);
  }
  return { signature, run, runOnCpu: (inputs) => onCpuBackend(() => run(inputs)), dispose };
}

/** Runs the source once on `inputs`, keeping the runner for the cpu reference judgeOutput may ask for. */
export async function runSource(ctx: ExportContext, source: Graph, inputs: Record<string, TensorData>): Promise<SourceReference> {
  const runner = await openSource(ctx, source);
  let outputs: Record<string, TensorData>;
  try {
    outputs = await runner.run(inputs);
  } catch (e) {
    runner.dispose();
    throw e;
  }
  let cpu: Promise<Record<string, TensorData>> | undefined;
  return { signature: runner.signature, outputs, cpu: () => (cpu ??= runner.runOnCpu(inputs)), dispose: () => runner.dispose() };
}
