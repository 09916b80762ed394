import type { ScaffoldNames, ScaffoldType } from './new-plugin-names.js';

// src/index.ts of each scaffold: one small working plugin per type, in the shape the project's
// own plugins have. Generated code is plain text here; `$\{` escapes keep its template literals.

const manifestLine = `// Name, version and options schema come from package.json: the manifest the registry reads.
const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME };`;

const exporter = (n: ScaffoldNames) => `import { promises as fs } from 'node:fs';
import path from 'node:path';
import { definePlugin, readPluginPackage, type Graph, type PluginPackage } from '@modelport/core';
import type { ${n.optionsType} } from './options.js';

${manifestLine}

/** The target this exporter writes: \`modelport export model.json --to ${n.key}\`. */
export const TARGET = '${n.key}';

/** What the artifact holds: how many nodes of each op, and the signatures. */
export function summarize(graph: Graph): { ops: Record<string, number>; signatures: Graph['signatures'] } {
  const ops: Record<string, number> = {};
  for (const node of graph.nodes) ops[node.op] = (ops[node.op] ?? 0) + 1;
  return { ops, signatures: graph.signatures };
}

export const ${n.identifier} = definePlugin<${n.optionsType}>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    hooks.writeArtifact.for(TARGET).tapPromise(PLUGIN_NAME, async (graph, ctx) => {
      // ctx.dir is the version folder under its temp name: it appears whole when the export succeeds.
      const file = path.posix.join(TARGET, 'summary.json');
      await fs.mkdir(path.join(ctx.dir, TARGET), { recursive: true });
      await fs.writeFile(path.join(ctx.dir, file), JSON.stringify(summarize(graph), null, options.pretty ? 2 : undefined));
      // Every file listed must exist: the host hashes each one into export.json.
      return { target: TARGET, format: TARGET, plugin: PLUGIN_NAME, path: file, files: [file] };
    });
  },
});

export default ${n.identifier};
export type { ${n.optionsType} } from './options.js';
`;

const pass = (n: ScaffoldNames) => `import { definePlugin, parseTensorRef, readPluginPackage, type Graph, type Node, type PluginPackage, type TensorRef } from '@modelport/core';
import type { ${n.optionsType} } from './options.js';

${manifestLine}

/**
 * Removes nodes whose op hands its first input on unchanged (Identity by default): their readers
 * read that input instead. A node the graph or a signature outputs, or another node waits for
 * (control input), stays. Returns a new graph; the one given is never changed.
 */
export function removePassThrough(graph: Graph, ops: ReadonlySet<string>): Graph {
  const signatureOutputs = Object.values(graph.signatures).flatMap((s) => Object.values(s.outputs).map((t) => t.name));
  const kept = new Set([...graph.outputs, ...signatureOutputs].map((ref) => parseTensorRef(ref).node));
  for (const node of graph.nodes) for (const name of node.controlInputs ?? []) kept.add(name);
  const handedOn = new Map<string, TensorRef>();
  const nodes: Node[] = [];
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((ref) => {
      const { node: from, index } = parseTensorRef(ref);
      return index === 0 ? handedOn.get(from) ?? ref : ref;
    });
    if (ops.has(node.op) && inputs.length > 0 && !kept.has(node.name)) {
      handedOn.set(node.name, inputs[0]!);
      continue;
    }
    nodes.push(inputs.some((ref, i) => ref !== node.inputs[i]) ? { ...node, inputs } : node);
  }
  return handedOn.size ? { ...graph, nodes } : graph;
}

export const ${n.identifier} = definePlugin<${n.optionsType}>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    // transformGraph is a waterfall: each tap gets the graph the previous one returned. \`stage\`
    // orders taps, lower first: core pins input shapes at -100, @modelport/passes taps at 0.
    hooks.transformGraph.tap({ name: PLUGIN_NAME, stage: 10 }, (graph) => removePassThrough(graph, new Set(options.ops)));
  },
});

export default ${n.identifier};
export type { ${n.optionsType} } from './options.js';
`;

const quantizer = (n: ScaffoldNames) => `import { definePlugin, readPluginPackage, sizeOfShape, type Graph, type PluginPackage, type Quantization } from '@modelport/core';
import type { ${n.optionsType} } from './options.js';

${manifestLine}

const FLOAT16: Quantization = { dtype: 'float16', scale: [], zeroPoint: [] };

/**
 * Marks every float32 weight of at least \`minElements\` values to be stored as float16. The values
 * stay real: a quantizer annotates, each exporter stores what the annotation says.
 */
export function storeAsFloat16(graph: Graph, minElements: number): Graph {
  const constants = new Map(graph.constants);
  for (const [name, weight] of graph.constants) {
    if (weight.dtype !== 'float32' || weight.quantization || sizeOfShape(weight.shape) < minElements) continue;
    constants.set(name, { ...weight, quantization: FLOAT16 });
  }
  return { ...graph, constants };
}

export const ${n.identifier} = definePlugin<${n.optionsType}>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    // Quantizers act on the mode the user asked for (--quantize), and pass the graph on otherwise.
    hooks.quantize.tap(PLUGIN_NAME, (graph, ctx) => (ctx.options.quantize === 'float16' ? storeAsFloat16(graph, options.minElements) : graph));
  },
});

export default ${n.identifier};
export type { ${n.optionsType} } from './options.js';
`;

const runtime = (n: ScaffoldNames) => `import {
  GraphExecutor, definePlugin, loadTfjsGraphModel, parseTensorRef, readPluginPackage,
  type PluginPackage, type Predictor, type TensorData,
} from '@modelport/core';
import type { ${n.optionsType} } from './options.js';

${manifestLine}

/** The artifact format this runtime serves: records with \`format: '${n.key}'\` and a model.json main file. */
export const FORMAT = '${n.key}';

/** Loads a tfjs graph-model file and answers predictions by signature tensor names. */
export async function loadPredictor(file: string, defaultSignature: string): Promise<Predictor> {
  const graph = await loadTfjsGraphModel(file);
  const executor = await GraphExecutor.create(graph);
  return {
    format: FORMAT,
    signatures: graph.signatures,
    async predict(inputs, key = defaultSignature) {
      const signature = graph.signatures[key] ?? Object.values(graph.signatures)[0];
      if (!signature) throw new Error(\`\${file} has no signature "\${key}"\`);
      const missing = Object.keys(signature.inputs).filter((name) => !inputs[name]);
      if (missing.length) throw new Error(\`missing inputs \${missing.join(', ')} of signature "\${key}"\`);
      const feeds = Object.fromEntries(Object.entries(signature.inputs).map(([name, t]) => [parseTensorRef(t.name).node, inputs[name]!]));
      const names = Object.keys(signature.outputs);
      const outputs = await executor.run(feeds, names.map((name) => signature.outputs[name]!.name));
      return Object.fromEntries(names.map((name, i): [string, TensorData] => [name, outputs[i]!]));
    },
    async dispose() { executor.dispose(); },
  };
}

export const ${n.identifier} = definePlugin<${n.optionsType}>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options) {
    // serve is a bail hook per format: the first tap that returns a Predictor answers.
    hooks.serve.for(FORMAT).tapPromise(PLUGIN_NAME, (request) => loadPredictor(request.path, options.defaultSignature));
  },
});

export default ${n.identifier};
export type { ${n.optionsType} } from './options.js';
`;

const adapter = (n: ScaffoldNames) => `import { adapterPlugin, readPluginPackage, type PluginPackage, type Predictor, type TensorData } from '@modelport/core';
import { DEFAULT_OPTIONS, type ${n.optionsType} } from './options.js';

${manifestLine}

function scaled(tensor: TensorData, scale: number): TensorData {
  return tensor.dtype === 'float32' ? { ...tensor, data: Float32Array.from(tensor.data as Float32Array, (v) => v * scale) } : tensor;
}

/** A Predictor that multiplies every float32 output of \`inner\` by \`scale\`; disposing it disposes \`inner\`. */
export function scaleOutputs(inner: Predictor, scale: number): Predictor {
  return {
    format: inner.format,
    signatures: inner.signatures,
    async predict(inputs, signature) {
      const outputs = await inner.predict(inputs, signature);
      return Object.fromEntries(Object.entries(outputs).map(([name, t]) => [name, scaled(t, scale)]));
    },
    dispose: () => inner.dispose(),
  };
}

/** Servers wrap a model's Predictor with it when their config names it for that model. */
export const ${n.identifier} = adapterPlugin<${n.optionsType}>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  wrap: (predictor, options) => scaleOutputs(predictor, options?.scale ?? DEFAULT_OPTIONS.scale),
});

export default ${n.identifier};
export type { ${n.optionsType} } from './options.js';
`;

const moduleSource = (n: ScaffoldNames) => `import { readFileSync } from 'node:fs';
import { exportModulePlugin, type InputModule, type JsonSchema } from '@modelport/core';
import type { ${n.optionsType} } from './options.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
export const PLUGIN_NAME: string = pkg.name;
/** The module's options come with each export (--module-options), checked against this schema. */
const optionsSchema = JSON.parse(readFileSync(new URL('../../options.schema.json', import.meta.url), 'utf8')) as JsonSchema;

/** The name signatures use: \`modelport export model.json --signature scaled=${n.key}\`. */
export const MODULE = '${n.key}';

/**
 * An input stage: a new signature input "values", shaped like the model's first input, multiplied
 * by \`scale\` before it feeds that input. Its ops are TensorFlow ops (Mul{T}) that every exporter
 * translates; ctx.ops prefixes their names with "<signature>/${n.key}/".
 */
export const ${n.identifier}Module: InputModule<${n.optionsType}> = {
  kind: 'input',
  name: MODULE,
  description: 'a signature input "values", scaled before it feeds the model',
  optionsSchema,
  build(ctx, options) {
    const [key, input] = Object.entries(ctx.model.inputs)[0] ?? ctx.fail('the model has no input to feed');
    if (input.dtype !== 'float32') ctx.fail(\`feeds float32 inputs; the model's "\${key}" is \${input.dtype}\`);
    if (options.scale === 0) ctx.fail('0 would feed only zeros', 'scale');
    const values = ctx.ops.input('values', 'float32', input.shape ?? [-1]);
    const scale = ctx.ops.constant('scale', 'float32', [], [options.scale]);
    return {
      feeds: { [key]: ctx.ops.node('scaled', { op: 'Mul', inputs: [values, scale], attrs: { T: { type: 'float32' } } }) },
      // Kept with the signature in every artifact: what a caller needs to know.
      metadata: { scale: options.scale },
    };
  },
};

export const ${n.identifier} = exportModulePlugin(${n.identifier}Module, { name: PLUGIN_NAME, version: pkg.version });

export default ${n.identifier};
export type { ${n.optionsType} } from './options.js';
`;

export const SOURCE_OF: Readonly<Record<Exclude<ScaffoldType, 'preset'>, (n: ScaffoldNames) => string>> = {
  exporter, pass, quantizer, runtime, adapter, module: moduleSource,
};

export function presetJson(): string {
  return `${JSON.stringify({ description: 'The default preset, and more: add plugins (names or ./paths) with their options', extends: ['default'], plugins: [] }, null, 2)}\n`;
}
