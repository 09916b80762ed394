import { GraphExecutor, parseTensorRef, type Graph, type Logger, type TensorData, type TensorRef } from '@modelport/core';
import type { CalibrationInput, Sample } from '../calibration/types.js';
import { fakeQuantGraph } from './fake-quant-graph.js';
import { outputAgreement, type SimulatedAccuracy } from './output-agreement.js';
import { ErrorAccumulator } from './tensor-errors.js';

/** The error of one quantized activation, simulated against float. */
export interface TensorError {
  readonly tensor: TensorRef;
  readonly op: string;
  readonly scale: number;
  readonly rmseOverScale: number;
  readonly meanError: number;
  readonly maxError: number;
  /** RMSE over the RMS of the float values: comparable between tensors. */
  readonly relativeRmse: number;
}

/**
 * Runs the float graph and fake-quant copies of annotated versions of it on the same samples.
 * The float executor and the float outputs of each sample set are kept for the next annotation.
 */
export class Simulator {
  private readonly floatOutputs = new WeakMap<readonly Sample[], TensorData[][]>();

  private constructor(
    private readonly floatGraph: Graph, private readonly floatExecutor: GraphExecutor,
    private readonly inputs: readonly CalibrationInput[], private readonly logger: Logger,
  ) {}

  static async create(floatGraph: Graph, inputs: readonly CalibrationInput[], logger: Logger): Promise<Simulator> {
    return new Simulator(floatGraph, await GraphExecutor.create(floatGraph, logger), inputs, logger);
  }

  private feeds(sample: Sample): Record<string, TensorData> {
    return Object.fromEntries(this.inputs.map((i) => [i.node, sample[i.name]!]));
  }

  private async withSimulated<T>(annotated: Graph, fn: (executor: GraphExecutor, int8Form: ReadonlyMap<TensorRef, TensorRef>, outputs: readonly TensorRef[]) => Promise<T>): Promise<T> {
    const { graph, int8Form } = fakeQuantGraph(annotated);
    const executor = await GraphExecutor.create(graph, this.logger);
    try {
      return await fn(executor, int8Form, graph.outputs);
    } finally {
      executor.dispose();
    }
  }

  /** Each quantized activation's error on `samples`, worst (by RMSE / scale) first. */
  async tensorErrors(annotated: Graph, samples: readonly Sample[]): Promise<TensorError[]> {
    return this.withSimulated(annotated, async (simulated, int8Form) => {
      const tensors = [...int8Form.keys()];
      const errors = tensors.map(() => new ErrorAccumulator());
      for (const sample of samples) {
        const feeds = this.feeds(sample);
        const float = await this.floatExecutor.run(feeds, tensors);
        const quantized = await simulated.run(feeds, tensors.map((t) => int8Form.get(t)!));
        errors.forEach((e, k) => e.add(float[k]!, quantized[k]!));
      }
      const producers = new Map(annotated.nodes.map((n) => [n.name, n]));
      return tensors.map((tensor, k): TensorError => {
        const { node, index } = parseTensorRef(tensor);
        const producer = producers.get(node)!;
        const scale = producer.outputs![index]!.quantization!.scale[0]!;
        const e = errors[k]!;
        return {
          tensor, op: producer.op, scale, rmseOverScale: e.rmse / scale, meanError: e.meanError, maxError: e.maxError,
          relativeRmse: e.rms > 0 ? e.rmse / e.rms : e.rmse / scale,
        };
      }).sort((a, b) => b.rmseOverScale - a.rmseOverScale);
    });
  }

  /** Cosine (and top-1 agreement) of the simulated outputs against the float ones on `samples`. */
  async accuracy(annotated: Graph, samples: readonly Sample[]): Promise<SimulatedAccuracy> {
    let reference = this.floatOutputs.get(samples);
    if (!reference) {
      reference = [];
      for (const sample of samples) reference.push(await this.floatExecutor.run(this.feeds(sample), this.floatGraph.outputs));
      this.floatOutputs.set(samples, reference);
    }
    const simulated = await this.withSimulated(annotated, async (executor, _, outputs) => {
      const out: TensorData[][] = [];
      for (const sample of samples) out.push(await executor.run(this.feeds(sample), outputs));
      return out;
    });
    return outputAgreement(reference, simulated);
  }

  dispose(): void {
    this.floatExecutor.dispose();
  }
}
