// The public API of @modelport/images: what adapters and quantizers that take images share.
export { decodeImage, DEFAULT_MAX_PIXELS, type DecodedImage, type DecodeOptions } from './decode.js';
export { imageBytes } from './image-bytes.js';
export { imagesToBatch, pixelsToBatch, type ImageGeometry, type Normalization } from './preprocessing.js';
export { imageGeometry, pickTensor } from './geometry.js';
export { readLabels } from './labels.js';
