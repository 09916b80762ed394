export * from './colour-classifier.js';
export * from './control-flow-graphs.js';
export * from './quantization-graphs.js';
