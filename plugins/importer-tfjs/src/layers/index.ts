// The Keras layers-model → Graph IR converter: its entry, and what callers may want to catch or extend.
export { graphFromLayersModel, type LayersModelSource } from './convert-model.js';
export { UnsupportedLayersError, findUnsupportedLayers, type UnsupportedLayer } from './unsupported.js';
export { LAYER_CONVERTERS } from './converters.js';
export type { LayerCall, LayerConverter, LayerConverterTable, LayerInfo, SymbolicShape } from './layer-call.js';
export { assertLayersTopology, layersTopologyProblems } from './topology-check.js';
export { checkLayersTopology } from './check-layers-topology.js';
export { layerConfigProblems } from './config-values-check.js';
