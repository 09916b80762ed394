import {
  defaultSignature, INT8_OPS, ModelportError, parseTensorRef, QUANTIZATION_SUMMARY_KEY, QUANTIZED_RANGE, UnsupportedOpsError,
  type Graph, type Node, type Quantization, type QuantizeMode,
} from '@modelport/core';

/** Modes whose annotations this exporter writes; uint8 and uint16 are tfjs's own weight storage. */
const ONNX_MODES: ReadonlySet<string> = new Set(['float16', 'dynamic', 'int8', 'int8-full']);
/** Stored types DequantizeLinear takes at opset 13–20. */
const STORED: ReadonlySet<string> = new Set(['int8', 'uint8', 'int32']);

type Problem = { node: string; op: string };

function hasAnnotations(graph: Graph): boolean {
  if ([...graph.constants.values()].some((c) => c.quantization)) return true;
  if (graph.nodes.some((n) => n.quantized || n.outputs?.some((o) => o.quantization))) return true;
  const sig = defaultSignature(graph);
  return [...Object.values(sig.inputs), ...Object.values(sig.outputs)].some((t) => t.quantization);
}

/** Why `q` cannot be stored as an ONNX weight, if it cannot. */
function storageProblem(q: Quantization, shape: readonly number[], dtype: string, opset: number): string | undefined {
  const stored = q.dtype ?? 'int8';
  if (stored === 'float16') return dtype === 'float32' ? undefined : `float16 storage of a ${dtype} weight`;
  if (!STORED.has(stored)) return `${stored} storage (DequantizeLinear takes int8, uint8 and int32)`;
  if (dtype !== 'float32') return `${stored} storage of a ${dtype} weight`;
  if (opset < 13) return `quantized weights need opset 13 or later, not ${opset}`;
  return paramsProblem(q, shape);
}

function paramsProblem(q: Quantization, shape: readonly number[] | undefined): string | undefined {
  const [lo, hi] = QUANTIZED_RANGE[(q.dtype ?? 'int8') as 'int8'];
  if (q.scale.length === 0 || q.scale.some((s) => !(s > 0 && Number.isFinite(s)))) return `scale [${q.scale}] (must be positive)`;
  if (q.zeroPoint.some((z) => !Number.isInteger(z) || z < lo || z > hi)) return `zero point [${q.zeroPoint}] (must be whole, in ${lo}…${hi})`;
  if (q.scale.length > 1 && (q.axis === undefined || (shape && shape[q.axis] !== q.scale.length))) return `${q.scale.length} scales along axis ${q.axis} of [${shape}]`;
  return undefined;
}

function activationProblem(q: Quantization | undefined, what: string): string | undefined {
  if (!q) return `${what} has no quantization`;
  if ((q.dtype ?? 'int8') !== 'int8') return `${what} is ${q.dtype}, not int8`;
  if (q.scale.length !== 1) return `${what} is per axis (activations are per tensor)`;
  return paramsProblem(q, undefined);
}

function int8NodeProblems(graph: Graph, node: Node, paramsOf: (ref: string) => Quantization | undefined): string[] {
  const rule = INT8_OPS[node.op];
  if (!rule) return ['int8 (no int8 rule for this op)'];
  const why: string[] = [];
  const refused = rule.refuse?.(node);
  if (refused) why.push(`int8 with ${refused}`);
  for (const i of rule.activations(node)) {
    const p = activationProblem(paramsOf(node.inputs[i]!), `input ${i}`);
    if (p) why.push(p);
  }
  const constQ = (i: number) => {
    const ref = node.inputs[i];
    return ref === undefined ? undefined : graph.constants.get(parseTensorRef(ref).node)?.quantization;
  };
  for (const w of rule.weights?.(node) ?? []) if ((constQ(w.input)?.dtype ?? 'none') !== 'int8') why.push(`weight (input ${w.input}) is not an int8 Const`);
  const bias = rule.bias?.(node);
  if (bias !== undefined && constQ(bias)?.dtype !== 'int32') why.push(`bias (input ${bias}) is not an int32 Const`);
  const out = activationProblem(node.outputs?.[0]?.quantization, 'output 0');
  if (out) why.push(out);
  return why;
}

/**
 * Every annotation among `needed` nodes this exporter cannot write, thrown at once in one error
 * that names the mode and the target; nothing when the graph is plain float or writable as asked.
 */
export function checkQuantization(graph: Graph, needed: ReadonlySet<string>, opset: number, mode: QuantizeMode | undefined, paramsOf: (ref: string) => Quantization | undefined): void {
  const target = `onnx (--quantize ${mode ?? 'annotations'})`;
  if (mode && !ONNX_MODES.has(mode)) throw new ModelportError(`--quantize ${mode}: target "onnx" cannot store tfjs's affine ${mode} weights (modes for onnx: ${[...ONNX_MODES].join(', ')})`);
  const annotated = hasAnnotations(graph);
  if (mode && !annotated && graph.metadata[QUANTIZATION_SUMMARY_KEY] === undefined) {
    throw new ModelportError(`--quantize ${mode}: target "onnx" got a graph no quantizer annotated; it will not write a float file instead`);
  }
  if (!annotated) return;
  const problems: Problem[] = [];
  for (const node of graph.nodes) {
    if (!needed.has(node.name)) continue;
    const c = node.op === 'Const' ? graph.constants.get(node.name) : undefined;
    const q = c?.quantization;
    const p = q && c && storageProblem(q, c.shape, c.dtype, opset);
    if (p) problems.push({ node: node.name, op: `Const: ${p}` });
    if (node.quantized === undefined) continue;
    const why = node.quantized === 'int8' ? int8NodeProblems(graph, node, paramsOf) : [`quantized "${String(node.quantized)}"`];
    if (why.length) problems.push({ node: node.name, op: `${node.op}: ${why.join('; ')}` });
  }
  const sig = defaultSignature(graph);
  for (const [key, t] of [...Object.entries(sig.inputs), ...Object.entries(sig.outputs)]) {
    const q = t.quantization;
    if (!q) continue;
    const dtype = q.dtype ?? t.dtype;
    const p = dtype !== 'int8' && dtype !== 'uint8' ? `integer edge of type ${dtype} (int8 or uint8)` : q.scale.length !== 1 ? 'per-axis edge' : paramsProblem({ ...q, dtype }, undefined);
    if (p) problems.push({ node: key, op: `signature tensor: ${p}` });
  }
  if (problems.length) throw new UnsupportedOpsError(target, problems);
}
