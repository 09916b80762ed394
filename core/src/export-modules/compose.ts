import path from 'node:path';
import type { Contribution } from '../contributions.js';
import { OptionsError } from '../errors.js';
import { parseTensorRef, tensorRef } from '../graph/refs.js';
import { defaultSignature, nodeMap } from '../graph/query.js';
import { assertValidGraph } from '../graph/validate.js';
import { DEFAULT_SIGNATURE, type ConstantTensor, type Graph, type Node, type Signature, type SignatureTensor, type TensorRef } from '../graph/types.js';
import { validateOptions } from '../options.js';
import type { ExportModule, InputModule, ModuleContext, OutputModule } from './module.js';
import { ModuleError } from './module-error.js';
import { withInferredShapes } from './model-shapes.js';
import { ModuleOpsCollector } from './module-ops.js';

/** What an export asks for: signatures built from modules, their options, and what becomes of the source's signature. */
export interface SignatureRequest {
  /** Signature key → module names, input modules first ("serving_default": ["image", "detection"]). */
  readonly signatures?: Readonly<Record<string, readonly string[]>>;
  /** Options by module name, or by "<signature>/<module>" for one signature only. */
  readonly moduleOptions?: Readonly<Record<string, unknown>>;
  /** The file moduleOptions came from: files named in them resolve beside it. */
  readonly moduleOptionsFile?: string;
  /** The key the model's own signature is kept under; false drops it. Default: its own key, or "source" when a module signature takes that key. */
  readonly sourceSignature?: string | false;
}

/** Where moduleOptions were set, for messages ("--module-options options.json"). */
export type OptionsOrigin = string | undefined;

export const SOURCE_SIGNATURE_FALLBACK = 'source';

/** The model's own signature key and signature. */
function sourceSignatureOf(graph: Graph): [string, Signature] {
  const keys = Object.keys(graph.signatures);
  const key = graph.signatures[DEFAULT_SIGNATURE] ? DEFAULT_SIGNATURE : keys[0] ?? DEFAULT_SIGNATURE;
  return [key, defaultSignature(graph)];
}

function suggestion(name: string, known: readonly string[]): string {
  const close = known.find((k) => k.startsWith(name.slice(0, 3)) || name.startsWith(k.slice(0, 3)));
  return close ? ` (did you mean "${close}"?)` : '';
}

/**
 * The graph with the requested signatures built from modules: each one's input stages, its own copy
 * of the nodes that depend on an input a stage feeds (weights shared), and its output stages.
 * The model's own signature is kept as SignatureRequest.sourceSignature says. Without module
 * signatures the graph is returned as is.
 */
export function composeSignatures(graph: Graph, request: SignatureRequest, available: readonly Contribution<ExportModule>[], origin?: OptionsOrigin): Graph {
  const wanted = Object.entries(request.signatures ?? {});
  if (wanted.length === 0) return graph;
  const modules = new Map(available.map((c) => [c.value.name, c]));
  const [sourceKey, source] = sourceSignatureOf(graph);
  const keepAs = request.sourceSignature === false ? undefined
    : request.sourceSignature ?? (request.signatures![sourceKey] ? SOURCE_SIGNATURE_FALLBACK : sourceKey);
  if (keepAs !== undefined && request.signatures![keepAs]) {
    throw new OptionsError(`the model's own signature is to be kept as "${keepAs}", which is also the key of a module signature: choose another sourceSignature (--source-signature), or false to drop it`);
  }
  const resolveBase = request.moduleOptionsFile ? path.dirname(path.resolve(request.moduleOptionsFile)) : process.cwd();
  const setIn = origin ?? (request.moduleOptionsFile ? path.basename(request.moduleOptionsFile) : undefined);

  const taken = new Set(graph.nodes.map((n) => n.name));
  const nodes: Node[] = [...graph.nodes];
  const constants = new Map<string, ConstantTensor>(graph.constants);
  const inputs = [...graph.inputs];
  const signatures: Record<string, Signature> = {};
  if (keepAs !== undefined) signatures[keepAs] = source;
  for (const [key, moduleNames] of wanted) {
    const built = buildSignature(graph, source, key, moduleNames, modules, request.moduleOptions ?? {}, taken, resolveBase, setIn);
    nodes.push(...built.nodes);
    for (const [k, v] of built.constants) constants.set(k, v);
    inputs.push(...built.placeholders);
    signatures[key] = built.signature;
  }
  for (const [k, s] of Object.entries(graph.signatures)) if (k !== sourceKey && !signatures[k]) signatures[k] = s;
  const result: Graph = { ...graph, nodes, constants, inputs, signatures };
  assertValidGraph(result, 'the graph with its export modules');
  return result;
}

interface BuiltSignature {
  readonly signature: Signature;
  readonly nodes: readonly Node[];
  readonly constants: ReadonlyMap<string, ConstantTensor>;
  readonly placeholders: readonly string[];
}

function buildSignature(
  graph: Graph, source: Signature, key: string, names: readonly string[], modules: Map<string, Contribution<ExportModule>>,
  moduleOptions: Readonly<Record<string, unknown>>, taken: Set<string>, resolveBase: string, setIn: string | undefined,
): BuiltSignature {
  if (names.length === 0) throw new OptionsError(`signature "${key}" names no module (give "${key}=MODULE[,MODULE…]")`);
  const stages = names.map((name) => {
    const found = modules.get(name);
    if (!found) {
      const known = [...modules.keys()];
      throw new OptionsError(`signature "${key}": no export module "${name}"${suggestion(name, known)}; installed modules: ${known.length ? known.join(', ') : 'none (add @modelport/module-image, module-classification or module-detection to the plugins)'}`);
    }
    return found;
  });
  const lastInput = stages.map((s) => s.value.kind).lastIndexOf('input');
  const firstOutput = stages.findIndex((s) => s.value.kind === 'output');
  if (firstOutput >= 0 && lastInput > firstOutput) {
    throw new OptionsError(`signature "${key}": input module "${stages[lastInput]!.value.name}" comes after output module "${stages[firstOutput]!.value.name}"; list input modules first`);
  }

  const model = withInferredShapes(graph, source);
  const shared = new Map<string, unknown>();
  const collectors: ModuleOpsCollector[] = [];
  const contextFor = (c: Contribution<ExportModule>): [ModuleContext, ModuleOpsCollector] => {
    const ops = new ModuleOpsCollector(`${key}/${c.value.name}/`, taken);
    collectors.push(ops);
    const fail = (message: string, option?: string): never => {
      throw new ModuleError(message, { signature: key, module: c.value.name, plugin: c.plugin, ...(option ? { option, ...(setIn ? { setIn } : {}) } : {}) });
    };
    return [{ signature: key, module: c.value.name, ops, model, shared, resolve: (f) => path.resolve(resolveBase, f), fail }, ops];
  };
  const optionsFor = (c: Contribution<ExportModule>): unknown => {
    const raw = moduleOptions[`${key}/${c.value.name}`] ?? moduleOptions[c.value.name] ?? {};
    if (!c.value.optionsSchema) return raw;
    try {
      return validateOptions(c.value.optionsSchema, raw, `options of module "${c.value.name}"`);
    } catch (e) {
      throw new ModuleError(`${(e as Error).message}${setIn ? ` (set in ${setIn})` : ''}`, { signature: key, module: c.value.name, plugin: c.plugin });
    }
  };

  // Input stages: each feeds model inputs; a model input fed twice is refused.
  const metadata: Record<string, Readonly<Record<string, unknown>>> = {};
  const feeds = new Map<string, TensorRef>();
  const extraOutputs: Record<string, SignatureTensor> = {};
  const newInputs: Record<string, SignatureTensor> = {};
  for (const c of stages.filter((s) => s.value.kind === 'input')) {
    const [ctx, ops] = contextFor(c);
    const result = (c.value as InputModule).build(ctx, optionsFor(c));
    for (const [modelKey, ref] of Object.entries(result.feeds)) {
      if (!source.inputs[modelKey]) ctx.fail(`feeds model input "${modelKey}", which the model does not have (it has ${Object.keys(source.inputs).join(', ')})`);
      if (feeds.has(modelKey)) ctx.fail(`model input "${modelKey}" is already fed by an earlier module of this signature`);
      feeds.set(modelKey, ref);
    }
    Object.assign(extraOutputs, result.outputs ?? {});
    if (result.metadata) metadata[c.value.name] = result.metadata;
    Object.assign(newInputs, ops.inputs);
  }

  // The model: the nodes that depend on a fed input are copied for this signature.
  const replaced = new Map<string, TensorRef>();
  for (const [modelKey, ref] of feeds) replaced.set(parseTensorRef(source.inputs[modelKey]!.name).node, ref);
  const copies = copyDependents(graph, replaced, key, taken);
  const remap = (ref: TensorRef): TensorRef => {
    const { node, index } = parseTensorRef(ref);
    if (replaced.has(node)) return replaced.get(node)!;
    const copy = copies.names.get(node);
    return copy ? tensorRef(copy, index) : ref;
  };
  const modelOutputs = Object.fromEntries(Object.entries(model.outputs).map(([k, t]) => [k, { ...t, name: remap(t.name) }]));

  // Output stages.
  let outputs: Record<string, SignatureTensor> = {};
  const outputStages = stages.filter((s) => s.value.kind === 'output');
  for (const c of outputStages) {
    const [ctx] = contextFor(c);
    const result = (c.value as OutputModule).build(ctx, optionsFor(c), modelOutputs);
    for (const k of Object.keys(result.outputs)) {
      if (outputs[k]) ctx.fail(`returns output "${k}", which an earlier module of this signature returns too`);
    }
    outputs = { ...outputs, ...result.outputs };
    if (result.metadata) metadata[c.value.name] = result.metadata;
  }
  if (outputStages.length === 0) outputs = { ...modelOutputs };
  outputs = { ...outputs, ...extraOutputs };

  const keptInputs = Object.fromEntries(Object.entries(source.inputs).filter(([k]) => !feeds.has(k)));
  const moduleNodes = collectors.map((c) => c.nodes);
  const inputCount = stages.filter((s) => s.value.kind === 'input').length;
  return {
    signature: {
      inputs: { ...newInputs, ...keptInputs }, outputs, methodName: source.methodName ?? 'tensorflow/serving/predict',
      stages: [...names.slice(0, inputCount), 'model', ...names.slice(inputCount)],
      ...(Object.keys(metadata).length ? { moduleMetadata: metadata } : {}),
    },
    nodes: [...moduleNodes.slice(0, inputCount).flat(), ...copies.nodes, ...moduleNodes.slice(inputCount).flat()],
    constants: new Map(collectors.flatMap((c) => [...c.constants])),
    placeholders: Object.values(newInputs).map((t) => parseTensorRef(t.name).node),
  };
}

/** Copies (named "<key>/<node>") of every node that depends, by data or control, on a replaced Placeholder. */
function copyDependents(graph: Graph, replaced: ReadonlyMap<string, TensorRef>, key: string, taken: Set<string>): { nodes: Node[]; names: Map<string, string> } {
  const names = new Map<string, string>();
  if (replaced.size === 0) return { nodes: [], names };
  const dependent = new Set<string>(replaced.keys());
  // Repeat to a fixed point: loop back edges (NextIteration → Merge) point forward in the order.
  for (let changed = true; changed;) {
    changed = false;
    for (const n of graph.nodes) {
      if (dependent.has(n.name)) continue;
      const deps = [...n.inputs.map((r) => parseTensorRef(r).node), ...(n.controlInputs ?? [])];
      if (deps.some((d) => dependent.has(d))) { dependent.add(n.name); changed = true; }
    }
  }
  for (const n of graph.nodes) {
    if (!dependent.has(n.name) || replaced.has(n.name)) continue;
    let name = `${key}/${n.name}`;
    for (let i = 1; taken.has(name); i++) name = `${key}/${n.name}_${i}`;
    taken.add(name);
    names.set(n.name, name);
  }
  const byName = nodeMap(graph);
  const mapRef = (ref: TensorRef): TensorRef => {
    const { node, index } = parseTensorRef(ref);
    if (replaced.has(node)) return replaced.get(node)!;
    return names.has(node) ? tensorRef(names.get(node)!, index) : ref;
  };
  const nodes = [...names].map(([old, name]) => {
    const n = byName.get(old)!;
    const control = n.controlInputs?.filter((c) => !replaced.has(c)).map((c) => names.get(c) ?? c);
    return { ...n, name, inputs: n.inputs.map(mapRef), ...(control ? { controlInputs: control } : {}) };
  });
  return { nodes, names };
}
