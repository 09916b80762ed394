export * from './affine.js';
export * from './int8-ops.js';
export * from './modes.js';
export * from './summary.js';
