// The public API of @modelport/adapter-detection.
import { wrapDetector } from './detector.js';
import { OPTIONS_SCHEMA, PLUGIN_NAME, PLUGIN_VERSION, type DetectionOptions } from './options.js';
import { adapterPlugin } from '@modelport/core';

export { wrapDetector, BYTES_SIGNATURE, PIXELS_SIGNATURE } from './detector.js';
export { anchorBoxes, directBoxes, iou, type Boxes } from './box-coding.js';
export { decodeRows, DEFAULT_SCALE_FACTORS, type BoxCoder, type DecodedRows } from './box-coders.js';
export { OPTIONS_SCHEMA } from './options.js';
export { gridAnchors, loadAnchors, type Anchors } from './anchors.js';
export { nonMaxSuppression, type Candidate, type NmsOptions } from './nms.js';
export { ServingAdapterId, type AdapterContext, type ServingAdapter } from '@modelport/core';
export type { DetectionOptions, BoxDecoding, GridAnchors } from './options.js';
export { PLUGIN_NAME };

/** The adapter and its plugin: applied, it offers itself to servers (options = defaults for every model). */
export const detection = adapterPlugin<DetectionOptions>({
  name: PLUGIN_NAME,
  version: PLUGIN_VERSION,
  optionsSchema: OPTIONS_SCHEMA,
  wrap: wrapDetector,
});

/** `wrap(predictor, options)`: the adapter as a function. */
export const wrap = wrapDetector;
export default detection;
