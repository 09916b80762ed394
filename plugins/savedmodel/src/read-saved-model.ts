import { DEFAULT_SIGNATURE, ModelLoadError, parseTensorRef, topologicalOrder, TFJS_OPS, UnsupportedOpsError, type ConstantTensor, type Graph, type Node, type Signature } from '@modelport/core';
import { constantFromTensorProto, type TensorProtoObject } from './tensor-proto.js';
import { decodeSavedModel, locateSavedModel } from './read/decode-saved-model.js';
import { refuseFunctionalControlFlow } from './read/unread-control-flow.js';
import { inlineFunctionCalls } from './read/inline-functions.js';
import { withDefaultAttrs } from './read/default-attrs.js';
import { freezeVariables } from './read/freeze-variables.js';
import { fuseForTfjs } from './read/fuse-for-tfjs.js';
import { nodeFromNodeDef } from './read/node-from-node-def.js';
import { pickMetaGraph, SERVE_TAG } from './read/pick-meta-graph.js';
import { pruneToSignatures } from './read/prune-to-signatures.js';
import { readVariablesBundle, variablesPrefix } from './read/read-variables-bundle.js';
import type { MetaGraphDefObject, NodeDefObject } from './read/saved-model-object.js';
import { signaturesFromDefs } from './read/signatures-from-defs.js';
import { REF_VARIABLE_OPS, RESOURCE_VARIABLE_OPS, variableBundleKeys } from './read/variable-keys.js';

export interface ReadSavedModelOptions {
  /** The MetaGraphDef to read, by its tags; default ["serve"]. */
  readonly tags?: readonly string[];
}

export interface ReadSavedModel {
  readonly graph: Graph;
  /** Tags of the MetaGraphDef read. */
  readonly tags: string[];
  readonly pbFile: string;
  readonly dir: string;
  /** The MetaGraphDef read, as a plain object (for describing it). */
  readonly metaGraph: MetaGraphDefObject;
  /** Where the weights were: Const nodes only, or variables read from the bundle. */
  readonly weights: 'frozen' | 'variables';
}

/**
 * A SavedModel (its directory or saved_model.pb) in the Graph IR: the MetaGraphDef tagged "serve",
 * its SignatureDefs as signatures, and only the nodes they need, with every variable read
 * replaced by a Const holding the bundle's value. serving_default gives the graph's inputs and outputs.
 */
export async function readSavedModel(pathToDirOrPb: string, options: ReadSavedModelOptions = {}): Promise<ReadSavedModel> {
  const { dir, pbFile } = await locateSavedModel(pathToDirOrPb);
  const model = await decodeSavedModel(pbFile);
  const metaGraph = pickMetaGraph(model, options.tags ?? [SERVE_TAG], pbFile);
  const graphDefs = metaGraph.graphDef?.node ?? [];
  if (graphDefs.some((d) => typeof d.name !== 'string' || typeof d.op !== 'string')) throw new ModelLoadError('the GraphDef has a node without a name or an op', { file: pbFile });
  const declared = signaturesFromDefs(metaGraph.signatureDef ?? {}, new Set(graphDefs.map((d) => d.name)), pbFile);
  if (!Object.keys(declared).length) throw new ModelLoadError('the MetaGraphDef has no SignatureDef, so nothing says what to feed and fetch', { file: pbFile });

  // TF2 SavedModels compute in the function library: calls are inlined, signatures follow them.
  const opDefs = metaGraph.metaInfoDef?.strippedOpList?.op ?? [];
  const inlined = inlineFunctionCalls(graphDefs, metaGraph.graphDef?.library?.function ?? [], opDefs, pbFile);
  const { resolve } = inlined;
  const defs = withDefaultAttrs(inlined.defs, opDefs);
  const signatures = resolveSignatureRefs(declared, resolve);
  const defsByName = new Map<string, NodeDefObject>(defs.map((d) => [d.name, d]));
  const allNodes = defs.map(nodeFromNodeDef);
  const ends = Object.values(signatures).flatMap((s) => [...Object.values(s.outputs), ...Object.values(s.inputs)].map((t) => t.name));
  refuseFunctionalControlFlow(new Map(Object.entries(signatures).map(([key, s]) => [key, pruneToSignatures(allNodes, Object.values(s.outputs).map((t) => t.name))])), pbFile);

  const needed = pruneToSignatures(allNodes, ends);
  const readsVariables = needed.some((n) => RESOURCE_VARIABLE_OPS.has(n.op) || REF_VARIABLE_OPS.has(n.op));
  const bundle = readsVariables ? await readVariablesBundle(dir) : undefined;
  const frozen = freezeVariables(needed, variableBundleKeys(allNodes, defsByName), bundle, `${variablesPrefix(dir)}.index`);
  // Variable handles are no longer read once their reads are Consts.
  const nodes = pruneToSignatures(frozen.nodes, ends);

  const constants = new Map<string, ConstantTensor>(frozen.constants);
  for (const n of nodes) {
    if (n.op !== 'Const' || constants.has(n.name)) continue;
    const proto = defsByName.get(n.name)?.attr?.value?.tensor as TensorProtoObject | undefined;
    if (!proto) throw new ModelLoadError('Const node has no value attribute', { file: pbFile, node: n.name, op: 'Const' });
    constants.set(n.name, constantFromTensorProto(proto, n.name));
  }
  assertTfjsCanRunNodes(nodes, pbFile);

  const main = signatures[DEFAULT_SIGNATURE] ?? Object.values(signatures)[0]!;
  const graph: Graph = fuseForTfjs({
    inputs: Object.values(main.inputs).map((t) => parseTensorRef(t.name).node),
    outputs: Object.values(main.outputs).map((t) => t.name),
    nodes: topologicalOrder(nodes),
    constants,
    signatures: withDefaultFirst(signatures),
    metadata: {
      source: {
        format: 'savedmodel', file: pbFile, tags: metaGraph.metaInfoDef?.tags ?? [],
        tensorflowVersion: metaGraph.metaInfoDef?.tensorflowVersion, producer: metaGraph.graphDef?.versions?.producer,
      },
    },
  });
  return { graph, tags: metaGraph.metaInfoDef?.tags ?? [], pbFile, dir, metaGraph, weights: readsVariables ? 'variables' : 'frozen' };
}

function resolveSignatureRefs(signatures: Record<string, Signature>, resolve: (ref: string) => string): Record<string, Signature> {
  const side = (tensors: Signature['inputs']) => Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, { ...t, name: resolve(t.name) }]));
  return Object.fromEntries(Object.entries(signatures).map(([key, s]) => [key, { ...s, inputs: side(s.inputs), outputs: side(s.outputs) }]));
}

function withDefaultFirst(signatures: Record<string, Signature>): Record<string, Signature> {
  const { [DEFAULT_SIGNATURE]: main, ...rest } = signatures;
  return main ? { [DEFAULT_SIGNATURE]: main, ...rest } : rest;
}

/** Every node whose op tfjs cannot run, in one error. */
function assertTfjsCanRunNodes(nodes: readonly Node[], file: string): void {
  const unsupported = nodes.filter((n) => !TFJS_OPS.has(n.op)).map((n) => ({ node: n.name, op: n.op }));
  if (unsupported.length) throw new UnsupportedOpsError('the Graph IR (run by tfjs)', unsupported, { file });
}
