import type { AttrValue } from '@modelport/core';
import { TF_OPS } from '../op-registry.js';

/** The attrs of `attrs` that TensorFlow's `op` declares (a fused node carries more than its base op takes). */
export function attrsOf(op: string, attrs: Readonly<Record<string, AttrValue>>): Record<string, AttrValue> {
  const def = TF_OPS.get(op);
  if (!def) throw new Error(`op registry: ${op} is not registered`);
  return Object.fromEntries(def.attr.filter((a) => attrs[a.name] !== undefined).map((a) => [a.name, attrs[a.name]!]));
}
