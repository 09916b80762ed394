export * from './affine.js';
export * from './int8-ops.js';
export * from './modes.js';
export * from './summary.js';
export * from './tensor-dtypes.js';
export * from './tensor-ranges.js';
export * from './annotate-int8.js';
export * from './annotate-dynamic.js';
