import { ModelLoadError } from '@modelport/core';
import { layerConfigProblems } from './config-values-check.js';
import { layersTopologyProblems } from './topology-check.js';
import { weightShapeProblems } from './weight-shape-check.js';

/**
 * Refuses a layers model.json that tfjs's fromConfig would hang or crash on: broken links, unnamed
 * layers, out-of-range numbers, unknown enum strings, kernels that disagree with the weight file.
 * One error lists every problem, naming the file.
 */
export function checkLayersTopology(json: { readonly modelTopology?: unknown }, file: string): void {
  const topology = json.modelTopology;
  if (typeof topology !== 'object' || topology === null || Array.isArray(topology)) {
    throw new ModelLoadError('the layers model has no modelTopology object', { file });
  }
  const configProblems = layerConfigProblems(topology);
  // Numbers already refused are not compared with the weights again.
  const problems = [...configProblems, ...layersTopologyProblems(topology), ...(configProblems.length ? [] : weightShapeProblems(json))];
  if (problems.length) {
    throw new ModelLoadError(`the layers model's topology is broken, ${problems.length} problem(s): ${problems.join('; ')}`, { file });
  }
}
