import type { NodeDefObject, OpDefObject } from './saved-model-object.js';

/**
 * Each node with the attributes its OpDef gives defaults for filled in where absent: TF2 and
 * Keras write GraphDefs with stripped_default_attrs (no dilations, data_format, squeeze_dims …),
 * and TensorFlow adds them back on load as this does; tfjs and the exporters read them.
 */
export function withDefaultAttrs(defs: readonly NodeDefObject[], opDefs: readonly OpDefObject[]): NodeDefObject[] {
  const defaults = new Map(opDefs.map((op) => [op.name, (op.attr ?? []).filter((a) => a.defaultValue !== undefined)]));
  return defs.map((def) => {
    const missing = (defaults.get(def.op) ?? []).filter((a) => def.attr?.[a.name] === undefined);
    if (!missing.length) return def;
    return { ...def, attr: { ...def.attr, ...Object.fromEntries(missing.map((a) => [a.name, a.defaultValue!])) } };
  });
}
