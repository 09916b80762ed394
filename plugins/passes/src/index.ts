// The public API of @modelport/passes.
import { passesPlugin } from './plugin.js';

export default passesPlugin;
export { passesPlugin, PLUGIN_NAME, optionsSchema } from './plugin.js';
export { runPasses, PASS_ORDER, type PassName, type PassesOptions } from './run-passes.js';
export { removeIdentity, type RemoveIdentityOptions, type RemoveIdentityReport, type IdentityKeepReason } from './remove-identity.js';
export { foldShapes, type FoldShapesOptions, type FoldShapesReport } from './fold-shapes.js';
export { foldConds, type FoldCondsOptions, type FoldCondsReport } from './fold-conds.js';
export { pruneDeadCode, type PruneDeadCodeOptions, type PruneDeadCodeReport } from './prune-dead-code.js';
export {
  foldConstants, DEFAULT_FOLD_MAX_ELEMENTS, DEFAULT_FOLD_MAX_GROWTH, SMALL_TENSOR_ELEMENTS,
  type FoldConstantsOptions, type FoldConstantsReport, type FoldRefusal,
} from './fold-constants.js';
export { constantNodes, unconditionalNodes } from './constant-nodes.js';
export { IDENTITY_OPS, isControlFlowOp, isTensorContainerOp, canTakeControlInputs, isFoldableOp } from './op-kinds.js';
