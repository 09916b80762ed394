export * from './control-flow-graphs.js';
export * from './quantization-graphs.js';
