// Symbolic shape inference: expressions, the per-op rule table and the graph walk.
export * from './dim-expr.js';
export { evaluateDim } from './dim-eval.js';
export { formatDim, formatShape } from './format-dim.js';
export * from './tensor-facts.js';
export type { ShapeRule, ShapeRuleContext } from './rule-types.js';
export { SHAPE_RULES } from './rules/index.js';
export type { InputSymbol } from './input-symbols.js';
export { inferShapes, type ShapeInference, type ShapeInferenceOptions } from './infer-shapes.js';
