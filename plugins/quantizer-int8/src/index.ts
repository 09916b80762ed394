// The public API of @modelport/quantizer-int8.
export { loadCalibration, DEFAULT_CALIBRATION_STEPS } from './calibration/load-calibration.js';
export { calibrationInputs, conformSample } from './calibration/inputs.js';
export { readNpy, writeNpy } from './calibration/npy.js';
export { decodeImage, type RgbaImage } from './calibration/decode-image.js';
export { imageTensor, DEFAULT_NORMALIZE, type Normalize } from './calibration/image-samples.js';
export { resizeBilinear } from './calibration/resize-bilinear.js';
export { selectSamples, HOLD_OUT_EVERY } from './calibration/select-samples.js';
export type { CalibrationInput, CalibrationSet, Sample, SampleSource } from './calibration/types.js';
