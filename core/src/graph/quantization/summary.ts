import type { QuantizeMode } from './modes.js';

/** graph.metadata key under which a quantizer leaves what it did; export.json keeps it as "quantization". */
export const QUANTIZATION_SUMMARY_KEY = 'modelport.quantization';

/** The error of one quantized tensor against its float value, over the calibration samples. */
export interface LayerError {
  /** The tensor ("node:0") and its node's op. */
  readonly tensor: string;
  readonly op: string;
  readonly scale: number;
  /** RMSE of (dequantized − float), in units of the tensor's scale. */
  readonly rmseOverScale: number;
  readonly meanError: number;
  readonly maxError: number;
}

/** A node a quantizer left float, and why (no int8 kernel, --keep-float, the accuracy target). */
export interface KeptFloat {
  readonly node: string;
  readonly op: string;
  readonly reason: string;
}

/** What a quantizer did to the graph, for export.json, the summary and `modelport inspect`. */
export interface QuantizationSummary {
  readonly mode: QuantizeMode;
  readonly plugin: string;
  /** Where the ranges came from; absent for weight-only modes. */
  readonly calibration?: {
    readonly source: 'data' | 'random';
    readonly path?: string;
    /** Samples that set the ranges, and samples held apart for measuring accuracy. */
    readonly samples: number;
    readonly heldOut: number;
    readonly percentile?: number;
  };
  readonly weights: { readonly quantized: number; readonly kept: number };
  /** Nodes that compute on int8. */
  readonly int8Nodes?: number;
  readonly keptFloat?: readonly KeptFloat[];
  /** Worst first. */
  readonly layers?: readonly LayerError[];
  /** The accuracy the quantizer measured by simulation, against the float graph, on the held-out samples. */
  readonly simulated?: { readonly cosine: number; readonly top1?: number };
}
