export { LOWERINGS } from './table.js';
export { lowerToTensorFlow, TARGET } from './lower-graph.js';
export type { Lowering, LoweringContext } from './types.js';
