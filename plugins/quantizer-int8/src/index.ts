// The public API of @modelport/quantizer-int8.
import { quantizerInt8Plugin } from './plugin.js';

export default quantizerInt8Plugin;
export { quantizerInt8Plugin, PLUGIN_NAME, optionsSchema } from './plugin.js';
export { quantizeInt8, REPORT_SAMPLES } from './modes/int8.js';
export { quantizeDynamic } from './modes/dynamic.js';
export { meetAccuracyTarget, ACCURACY_TARGET_REASON, type TargetRound } from './accuracy-target.js';
export { rankByIntroducedError, type NodeError } from './introduced-error.js';
export { writeReport, SUMMARY_LAYERS, type QuantizationReport } from './report.js';
export { fakeQuantGraph, type FakeQuantGraph } from './simulate/fake-quant-graph.js';
export { Simulator, type TensorError } from './simulate/simulator.js';
export { outputAgreement, type SimulatedAccuracy } from './simulate/output-agreement.js';
export { loadCalibration, DEFAULT_CALIBRATION_STEPS } from './calibration/load-calibration.js';
export { calibrationInputs, conformSample } from './calibration/inputs.js';
export { readNpy, writeNpy } from './calibration/npy.js';
export { decodeImage, type RgbaImage } from './calibration/decode-image.js';
export { imageTensor, DEFAULT_NORMALIZE, type Normalize } from './calibration/image-samples.js';
export { resizeBilinear } from './calibration/resize-bilinear.js';
export { selectSamples, HOLD_OUT_EVERY } from './calibration/select-samples.js';
export type { CalibrationInput, CalibrationSet, Sample, SampleSource } from './calibration/types.js';
