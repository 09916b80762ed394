import type { SeededRandom } from './random.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Container = Json[] | { [key: string]: Json };

/** One mutation applied: its name and where, enough to reproduce it by hand. */
export interface Mutation {
  readonly description: string;
}

interface Slot {
  readonly path: string;
  readonly parent: Container;
  readonly key: string | number;
}

/** Every place in the tree a value sits (not the root), with a readable path. */
function slots(value: Json, path = '$', out: Slot[] = []): Slot[] {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push({ path: `${path}[${i}]`, parent: value, key: i }); slots(v, `${path}[${i}]`, out); });
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { out.push({ path: `${path}.${k}`, parent: value, key: k }); slots(v, `${path}.${k}`, out); }
  }
  return out;
}

const get = (s: Slot): Json => (s.parent as Record<string | number, Json>)[s.key]!;
const set = (s: Slot, v: Json) => { (s.parent as Record<string | number, Json>)[s.key] = v; };

const OTHER_VALUES: readonly Json[] = [null, true, 0, -1, 1.5, '', 'x', [], {}, [[]], { a: 1 }, '__proto__'];
const ODD_NUMBERS: readonly number[] = [-1, 0, -0, 0.5, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 1e308, -1e308, 1e-320, 65536];
const HUGE_DIMS: readonly number[] = [2 ** 31 - 1, 2 ** 31, 1e9, 1e12, 2 ** 53, -2, 0];
const ODD_DTYPES: readonly string[] = ['float64', 'complex64', 'string', 'bool', 'int64', 'uint8', 'bogus', '', 'DT_FLOAT'];
const ODD_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', '', 'hasOwnProperty'];

/** Keys whose values are dtypes or shapes in tfjs model.json, to aim the typed mutations. */
const DTYPE_KEY = /^(dtype|type|DstT|SrcT|T)$/;
const SHAPE_KEY = /(shape|batch_input_shape|dims?|size|kernel_size|strides|units|filters)$/i;

type JsonMutator = (root: Json, all: Slot[], rng: SeededRandom) => string | undefined;

const MUTATORS: Readonly<Record<string, JsonMutator>> = {
  dropKey(_root, all, rng) {
    const s = rng.pick(all);
    if (Array.isArray(s.parent)) { s.parent.splice(s.key as number, 1); return `remove ${s.path}`; }
    delete (s.parent as Record<string, Json>)[s.key as string];
    return `delete ${s.path}`;
  },
  duplicate(_root, all, rng) {
    const arrays = all.filter((s) => Array.isArray(s.parent));
    if (!arrays.length) return undefined;
    const s = rng.pick(arrays);
    (s.parent as Json[]).splice(s.key as number, 0, structuredClone(get(s)));
    return `duplicate ${s.path}`;
  },
  retype(_root, all, rng) {
    const s = rng.pick(all);
    const v = structuredClone(rng.pick(OTHER_VALUES));
    set(s, v);
    return `set ${s.path} = ${JSON.stringify(v)}`;
  },
  oddNumber(_root, all, rng) {
    const numbers = all.filter((s) => typeof get(s) === 'number');
    if (!numbers.length) return undefined;
    const s = rng.pick(numbers);
    const v = rng.pick(ODD_NUMBERS);
    set(s, v);
    return `set ${s.path} = ${v}`;
  },
  hugeDim(_root, all, rng) {
    const dims = all.filter((s) => Array.isArray(s.parent) && (typeof get(s) === 'number' || get(s) === null) && SHAPE_KEY.test(s.path.replace(/\[\d+\]$/, '')));
    if (!dims.length) return undefined;
    const s = rng.pick(dims);
    const v = rng.pick(HUGE_DIMS);
    set(s, v);
    return `set ${s.path} = ${v}`;
  },
  wrongDtype(_root, all, rng) {
    const dtypes = all.filter((s) => typeof s.key === 'string' && DTYPE_KEY.test(s.key) && typeof get(s) === 'string');
    if (!dtypes.length) return undefined;
    const s = rng.pick(dtypes);
    const v = rng.pick(ODD_DTYPES);
    set(s, v);
    return `set ${s.path} = "${v}"`;
  },
  oddKey(_root, all, rng) {
    const objects = all.filter((s) => { const v = get(s); return v !== null && typeof v === 'object' && !Array.isArray(v); });
    if (!objects.length) return undefined;
    const s = rng.pick(objects);
    const key = rng.pick(ODD_KEYS);
    // JSON.parse makes "__proto__" an own key; so does defineProperty here.
    Object.defineProperty(get(s), key, { value: structuredClone(rng.pick(OTHER_VALUES)), enumerable: true, writable: true, configurable: true });
    return `add key ${s.path}["${key}"]`;
  },
  /** A layer's inbound node (layers models) or a node's input (graph models) naming itself or a later one. */
  cycle(root, _all, rng) {
    const r = root as Record<string, any>;
    const layers: any[] | undefined = r.modelTopology?.config?.layers ?? r.modelTopology?.model_config?.config?.layers;
    if (Array.isArray(layers) && layers.length > 1) {
      const i = rng.int(layers.length);
      const j = i + rng.int(layers.length - i);
      layers[i].inbound_nodes = [[[layers[j].name, 0, 0, {}]]];
      return `layer ${layers[i].name} takes ${layers[j].name}`;
    }
    const nodes: any[] | undefined = r.modelTopology?.node;
    if (Array.isArray(nodes) && nodes.length > 1) {
      const i = rng.int(nodes.length);
      const j = i + rng.int(nodes.length - i);
      nodes[i].input = [nodes[j].name, ...(nodes[i].input ?? []).slice(1)];
      return `node ${nodes[i].name} takes ${nodes[j].name}`;
    }
    return undefined;
  },
};

/** One to three structure-aware mutations of a parsed JSON document (the value is changed in place). */
export function mutateJson(root: Json, rng: SeededRandom): string[] {
  const done: string[] = [];
  const count = 1 + rng.int(rng.chance(0.7) ? 1 : 3);
  for (let attempt = 0; done.length < count && attempt < 20; attempt++) {
    const all = slots(root);
    if (!all.length) break;
    const name = rng.pick(Object.keys(MUTATORS));
    const applied = MUTATORS[name]!(root, all, rng);
    if (applied) done.push(applied);
  }
  return done;
}

/** The text of a JSON document made unreadable: cut short, a stray byte, or not JSON at all. */
export function garbleJsonText(text: string, rng: SeededRandom): { text: string; description: string } {
  switch (rng.int(4)) {
    case 0: { const at = rng.int(text.length); return { text: text.slice(0, at), description: `cut at ${at} of ${text.length}` }; }
    case 1: { const at = rng.int(text.length); return { text: `${text.slice(0, at)}\u0000${text.slice(at)}`, description: `NUL at ${at}` }; }
    case 2: return { text: '[]', description: 'an array' };
    default: return { text: `${'['.repeat(100_000)}`, description: '100000 open brackets' };
  }
}

export type { Json };
