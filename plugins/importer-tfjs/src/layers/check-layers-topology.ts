import { ModelLoadError } from '@modelport/core';
import { layerConfigProblems } from './config-values-check.js';
import { layersTopologyProblems } from './topology-check.js';

/**
 * Refuses a layers model.json that tfjs's fromConfig would hang or crash on: broken links, unnamed
 * layers, out-of-range numbers, unknown enum strings. One error lists every problem, naming the file.
 */
export function checkLayersTopology(json: { readonly modelTopology?: unknown }, file: string): void {
  const topology = json.modelTopology;
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) {
    throw new ModelLoadError('the layers model has no modelTopology object', { file });
  }
  const problems = [...layerConfigProblems(topology), ...layersTopologyProblems(topology)];
  if (problems.length) {
    throw new ModelLoadError(`the layers model's topology is broken, ${problems.length} problem(s): ${problems.join('; ')}`, { file });
  }
}
