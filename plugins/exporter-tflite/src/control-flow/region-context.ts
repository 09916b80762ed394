import type { Node } from '@modelport/core';
import type { NodeTranslator } from '../node-translator.js';
import type { TensorScope } from '../tensor-scope.js';

/** What converting a loop or cond needs: the translator, the scope around the region, the nodes by name. */
export interface RegionContext {
  readonly translator: NodeTranslator;
  readonly scope: TensorScope;
  readonly byName: ReadonlyMap<string, Node>;
}
