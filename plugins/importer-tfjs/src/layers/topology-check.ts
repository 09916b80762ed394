import { GraphError } from '@modelport/core';

// tfjs-layers builds a functional model by retrying every layer call until its inputs exist
// (Container.fromConfig); a call whose input never comes (a missing layer, a cycle, a node index
// past the end) makes that loop run for ever. So the links are checked here, before tfjs sees them.

type Json = Record<string, unknown>;
const NESTED_MODELS = new Set(['Sequential', 'Model', 'Functional']);

interface LayerEntry {
  readonly name: string;
  readonly className: string;
  readonly config: Json;
  /** The calls of the layer: each a list of inbound [layer, node, tensor, kwargs?] references. */
  readonly calls: readonly unknown[];
}

interface Ref { readonly layer: string; readonly node: number; readonly tensor: number }

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const pick = (o: Json, snake: string, camel: string): unknown => o[snake] ?? o[camel];
/** tfjs indexes nodes and tensors with plain array lookups: anything past 2^31 is never a real index. */
const isIndex = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 31;
/** Layers whose call may return several tensors (an RNN's states); every other layer returns one. */
/** Layers a call may hand several tensors (merges, attention, an RNN's initial state); every other takes one. */
const MULTI_INPUT = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate', 'Dot', 'Attention', 'AdditiveAttention',
  'MultiHeadAttention', 'RNN', 'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'ConvLSTM2D', 'ConvRNN2D', 'Sequential', 'Model', 'Functional']);
const MULTI_OUTPUT = new Set(['RNN', 'SimpleRNN', 'LSTM', 'GRU', 'Bidirectional', 'ConvLSTM2D', 'ConvRNN2D', 'TimeDistributed']);

function modelConfigOf(topology: unknown): Json | undefined {
  if (!isObject(topology)) return undefined;
  return isObject(topology.model_config) ? topology.model_config : topology;
}

function layersOf(model: Json): unknown[] {
  const config = model.config;
  if (Array.isArray(config)) return config; // Sequential as Keras 1 wrote it
  return isObject(config) && Array.isArray(config.layers) ? config.layers : [];
}

/** A functional model's layer is found by its own name (tfjs reads no other); a Sequential's by its config's. */
function entryOf(raw: unknown, functional: boolean): LayerEntry | undefined {
  if (!isObject(raw)) return undefined;
  const config = isObject(raw.config) ? raw.config : {};
  const name = typeof raw.name === 'string' ? raw.name : !functional && typeof config.name === 'string' ? config.name : undefined;
  if (name === undefined) return undefined;
  const calls = pick(raw, 'inbound_nodes', 'inboundNodes');
  return { name, className: String(pick(raw, 'class_name', 'className') ?? ''), config, calls: Array.isArray(calls) ? calls : [] };
}

const isNestedModel = (layer: LayerEntry): boolean => NESTED_MODELS.has(layer.className);

/** A model whose layers are wired by name (Model, Functional), not stacked (Sequential). */
function isFunctional(model: Json): boolean {
  if (!isObject(model.config)) return false;
  const className = pick(model, 'class_name', 'className');
  return className === 'Model' || className === 'Functional'
    || pick(model.config, 'input_layers', 'inputLayers') !== undefined || pick(model.config, 'output_layers', 'outputLayers') !== undefined;
}

/** Nodes tfjs gives a layer before any call: the Input's own, a nested model's inner one. */
function ownNodes(layer: LayerEntry): number {
  return layer.className === 'InputLayer' || isNestedModel(layer) ? 1 : 0;
}

/** The output count, where the config says it (other layers are left to tfjs, which refuses a missing tensor). */
function outputCount(layer: LayerEntry): number | undefined {
  if (layer.className === 'InputLayer' || layer.className === 'Sequential') return 1;
  if (!isNestedModel(layer)) return MULTI_OUTPUT.has(layer.className) ? undefined : 1;
  const outputs = pick(layer.config, 'output_layers', 'outputLayers');
  return Array.isArray(outputs) ? outputs.length : undefined;
}

function refOf(raw: unknown): Ref | undefined {
  if (!Array.isArray(raw) || typeof raw[0] !== 'string' || !isIndex(raw[1]) || !isIndex(raw[2])) return undefined;
  return { layer: raw[0], node: raw[1], tensor: raw[2] };
}

/** Every problem of one model's layer list (and of the models nested in it), named with `prefix`. */
function modelProblems(model: Json, prefix: string): string[] {
  const problems: string[] = [];
  const raws = layersOf(model);
  const layers: LayerEntry[] = [];
  const functional = isFunctional(model);
  raws.forEach((raw, i) => {
    const layer = entryOf(raw, functional);
    if (layer) layers.push(layer);
    else problems.push(`layer #${i}${prefix ? ` of "${prefix.slice(0, -1)}"` : ''} has no name`);
  });
  const byName = new Map<string, LayerEntry>();
  const seen = new Map<string, number>();
  for (const layer of layers) {
    seen.set(layer.name, (seen.get(layer.name) ?? 0) + 1);
    byName.set(layer.name, layer);
  }
  for (const [name, count] of seen) if (count > 1) problems.push(`layer name "${prefix}${name}" is used by ${count} layers`);

  if (functional) problems.push(...linkProblems(model.config as Json, layers, byName, prefix));
  for (const layer of layers) if (isNestedModel(layer)) problems.push(...modelProblems({ class_name: layer.className, config: layer.config }, `${prefix}${layer.name}/`));
  return problems;
}

const callCount = (layer: LayerEntry): number => layer.calls.filter((c) => Array.isArray(c) && c.length > 0).length;
const nodeCount = (layer: LayerEntry): number => ownNodes(layer) + callCount(layer);

/** References that resolve, input/output layers, then cycles, then tfjs's own build order. */
function linkProblems(config: Json, layers: readonly LayerEntry[], byName: ReadonlyMap<string, LayerEntry>, prefix: string): string[] {
  const problems: string[] = [];
  const describeRef = (ref: Ref, holder: string): string | undefined => {
    const target = byName.get(ref.layer);
    if (!target) return `${holder} layer "${prefix}${ref.layer}", which does not exist`;
    const nodes = nodeCount(target);
    if (ref.node >= nodes) return `${holder} node ${ref.node} of layer "${prefix}${ref.layer}", which has ${nodes} node(s)`;
    const outputs = outputCount(target);
    if (outputs !== undefined && ref.tensor >= outputs) return `${holder} output ${ref.tensor} of layer "${prefix}${ref.layer}", which has ${outputs} output(s)`;
    return undefined;
  };
  for (const layer of layers) {
    layer.calls.forEach((call, c) => {
      if (!Array.isArray(call)) { problems.push(`layer "${prefix}${layer.name}": inbound node ${c} is not a list of [layer, node, tensor] references`); return; }
      if (call.length > 1 && !MULTI_INPUT.has(layer.className)) {
        problems.push(`layer "${prefix}${layer.name}" (${layer.className}) takes one input, but its call ${c} lists ${call.length}`);
      }
      for (const raw of call) {
        const ref = refOf(raw);
        if (!ref) { problems.push(`layer "${prefix}${layer.name}": inbound reference ${JSON.stringify(raw)} is not [layer name, node index, tensor index]`); continue; }
        const problem = describeRef(ref, `layer "${prefix}${layer.name}" takes input from`);
        if (problem) problems.push(problem);
      }
    });
  }
  for (const [snake, camel, what] of [['input_layers', 'inputLayers', 'model input'], ['output_layers', 'outputLayers', 'model output']] as const) {
    const list = pick(config, snake, camel);
    if (!Array.isArray(list)) { problems.push(list === undefined ? `the model has no ${snake} (expected a list of [layer name, node index, tensor index])` : `the model's ${snake} is not a list`); continue; }
    list.forEach((raw, i) => {
      const ref = refOf(raw);
      const problem = ref ? describeRef(ref, `${what} ${i} names`) : `${what} ${i} ${JSON.stringify(raw)} is not [layer name, node index, tensor index]`;
      if (problem) problems.push(problem);
    });
  }
  // tfjs reaches an input layer the model does not list as "Graph disconnected" deep in its build.
  const inputs = pick(config, 'input_layers', 'inputLayers');
  const listed = new Set(Array.isArray(inputs) ? inputs.map((r) => refOf(r)?.layer) : []);
  for (const layer of layers) {
    if (layer.className === 'InputLayer' && Array.isArray(inputs) && !listed.has(layer.name)) {
      problems.push(`input layer "${prefix}${layer.name}" is not among the model's input_layers`);
    }
  }
  if (problems.length) return problems;
  const cycles = cycleProblems(layers, byName, prefix);
  return cycles.length ? cycles : buildOrderProblems(layers, prefix);
}

/** Which call of its layer a reference reads: undefined for a node tfjs makes without a call. */
function callIndex(target: LayerEntry, node: number): number | undefined {
  const own = ownNodes(target);
  return node < own ? undefined : node - own;
}

function refsOf(call: unknown): Ref[] {
  return Array.isArray(call) ? call.map(refOf).filter((r): r is Ref => r !== undefined) : [];
}

/** Layer calls that depend on themselves: a layer fed by its own output, layers feeding each other. */
function cycleProblems(layers: readonly LayerEntry[], byName: ReadonlyMap<string, LayerEntry>, prefix: string): string[] {
  const key = (layer: string, call: number) => `${layer}\u0000${call}`;
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found = new Map<string, string>();
  const visit = (layer: LayerEntry, call: number): void => {
    const k = key(layer.name, call);
    if (state.get(k) === 'done') return;
    if (state.get(k) === 'open') {
      const names = stack.slice(stack.indexOf(k)).map((s) => s.split('\u0000')[0]!);
      const id = [...new Set(names)].sort().join('\u0000');
      if (!found.has(id)) {
        found.set(id, names.length === 1
          ? `layer "${prefix}${names[0]}" takes its own output as input`
          : `layers ${[...names, names[0]!].map((n) => `"${prefix}${n}"`).join(' → ')} feed each other in a cycle`);
      }
      return;
    }
    state.set(k, 'open');
    stack.push(k);
    for (const ref of refsOf(layer.calls[call])) {
      const target = byName.get(ref.layer)!;
      const c = callIndex(target, ref.node);
      if (c !== undefined) visit(target, c);
    }
    stack.pop();
    state.set(k, 'done');
  };
  for (const layer of layers) layer.calls.forEach((_c, i) => visit(layer, i));
  return [...found.values()];
}

/**
 * tfjs's loop in fromConfig played on counts alone: node indices follow the order calls succeed,
 * which an acyclic config written out of order can still starve. Whatever this refuses, tfjs would spin on.
 */
function buildOrderProblems(layers: readonly LayerEntry[], prefix: string): string[] {
  const nodes = new Map(layers.map((l) => [l.name, ownNodes(l)]));
  let pending = new Map(layers.map((l) => [l.name, l.calls.map(refsOf)]));
  for (;;) {
    let progressed = false;
    const next = new Map<string, Ref[][]>();
    for (const layer of layers) {
      for (const refs of pending.get(layer.name) ?? []) {
        if (refs.every((r) => (nodes.get(r.layer) ?? 0) > r.node)) {
          if (refs.length) nodes.set(layer.name, nodes.get(layer.name)! + 1);
          progressed = true;
        } else {
          next.set(layer.name, [...(next.get(layer.name) ?? []), refs]);
        }
      }
      pending.delete(layer.name);
    }
    pending = next;
    if (!pending.size) return [];
    if (!progressed) {
      return [...pending].map(([name, calls]) => {
        const missing = calls[0]!.find((r) => (nodes.get(r.layer) ?? 0) <= r.node)!;
        return `layer "${prefix}${name}" waits for node ${missing.node} of layer "${prefix}${missing.layer}", which tfjs never builds in this layer order`;
      });
    }
  }
}

/** Every broken link of a layers model topology (model.json's modelTopology), nested models too. */
export function layersTopologyProblems(topology: unknown): string[] {
  const model = modelConfigOf(topology);
  return model ? modelProblems(model, '') : [];
}

/** Refuses a layers model topology tfjs would loop on for ever, naming each layer and what is wrong. */
export function assertLayersTopology(topology: unknown, file?: string): void {
  const problems = layersTopologyProblems(topology);
  if (problems.length) {
    throw new GraphError(`the layers model's topology is broken, ${problems.length} problem(s): ${problems.join('; ')}`, file ? { file } : {});
  }
}
