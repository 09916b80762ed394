import { OptionsError } from '../errors.js';
import { attrValue } from './attrs.js';
import type { TensorData } from '../tensors/tensor-data.js';
import { allocValues, sizeOfShape, type DType, type TypedArray } from './dtype.js';
import { float32ToFloat16Array } from './float16.js';
import { inputAliases, knownInputNames } from './pin-input-shapes.js';
import { nodeMap, placeholderTensor, signatureFromEnds } from './query.js';
import { parseTensorRef } from './refs.js';
import { DEFAULT_SIGNATURE, type ConstantTensor, type FrozenInput, type Graph, type Node, type Signature } from './types.js';

/**
 * Values to freeze inputs to, by signature input name or input node name (with or without ":0");
 * "" = the only input. A number for a scalar (or an input of one element), a list otherwise.
 */
export type InputValues = Readonly<Record<string, number | readonly number[]>>;

/** Says where the value of one named input was set, for errors: "--input-value on the command line". */
export type InputValueOrigin = (name: string) => string;

const FLAG = '--input-value';
const API_ORIGIN: InputValueOrigin = () => 'inputValues of the export options';

// Whole-number dtypes and the values they hold; int64 as far as a JS number is exact.
const INTEGER_RANGES: Readonly<Partial<Record<string, readonly [number, number]>>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-(2 ** 31), 2 ** 31 - 1], int64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 2 ** 32 - 1], bool: [0, 1],
};
const FLOAT_DTYPES: ReadonlySet<string> = new Set(['float32', 'float16', 'float64']);

/** Why `dtype` cannot hold `value`, or undefined when it can. */
function whyNotHeld(dtype: string, value: number): string | undefined {
  if (!Number.isFinite(value)) return `${value} is not a finite number`;
  if (FLOAT_DTYPES.has(dtype)) return undefined;
  const range = INTEGER_RANGES[dtype];
  if (!range) return `a ${dtype} input cannot be given a number`;
  if (!Number.isInteger(value)) return `the input is ${dtype}, which cannot hold ${value}`;
  if (value < range[0] || value > range[1]) return `the input is ${dtype}, which holds ${range[0]} to ${range[1]}, not ${value}`;
  return undefined;
}

function describeShape(shape: readonly number[] | null): string {
  return shape === null ? 'unknown rank' : `[${shape.join(',')}]`;
}

/**
 * The shape the value takes: the input's when static; for an input of unknown rank a scalar (one
 * value) or a vector; one dynamic dimension is sized by the count. Otherwise why not.
 */
function valueShape(declared: readonly number[] | null, count: number): readonly number[] | string {
  if (declared === null) return count === 1 ? [] : [count];
  const dynamic = declared.filter((d) => d < 0).length;
  const known = sizeOfShape(declared.filter((d) => d >= 0));
  if (dynamic === 0) {
    return known === count ? declared : `the input's shape ${describeShape(declared)} holds ${known} value(s), ${count} given`;
  }
  if (dynamic === 1 && known > 0 && count % known === 0) return declared.map((d) => (d < 0 ? count / known : d));
  return `the input's shape ${describeShape(declared)} has ${dynamic} dynamic dimension(s) that ${count} value(s) do not decide; pin them with --input-shape`;
}

function constantOf(dtype: DType, shape: readonly number[], values: readonly number[]): ConstantTensor {
  if (dtype === 'float16') return { dtype, shape: [...shape], values: float32ToFloat16Array(values) };
  const data = allocValues(dtype, values.length);
  if (data instanceof BigInt64Array) values.forEach((v, i) => { data[i] = BigInt(v); });
  else data.set(values);
  return { dtype, shape: [...shape], values: data };
}

function constNode(name: string, value: ConstantTensor): Node {
  return { name, op: 'Const', inputs: [], attrs: { dtype: attrValue.dtype(value.dtype), value: { tensor: { dtype: value.dtype, shape: value.shape } } } };
}

/**
 * Replaces inputs by constants of the given values: each Placeholder becomes a Const of its dtype
 * and (pinned) shape, leaves `graph.inputs` and the signatures' inputs, and is recorded in each
 * signature's `frozenInputs` under the key it had. A graph without signatures first gets
 * serving_default from its ends, so that the record has a place. Every bad request (unknown name,
 * a value the dtype cannot hold, a count the shape does not take) is listed in one OptionsError
 * naming the input and where the value was set.
 */
export function freezeInputValues(source: Graph, values: InputValues, origin: InputValueOrigin = API_ORIGIN): Graph {
  const entries = Object.entries(values);
  if (entries.length === 0) return source;
  const graph: Graph = Object.keys(source.signatures).length ? source : { ...source, signatures: { [DEFAULT_SIGNATURE]: signatureFromEnds(source) } };
  const aliases = inputAliases(graph);
  const byName = nodeMap(graph);
  const frozen = new Map<string, ConstantTensor>();
  const given = new Map<string, number[]>();
  const problems: string[] = [];
  for (const [name, value] of entries) {
    const list = typeof value === 'number' ? [value] : [...value];
    const problem = (why: string) => problems.push(`input value ${name === '' ? '' : `${name}=`}${list.join(',')} (${origin(name)}): ${why}`);
    let input: string | undefined;
    if (name === '') {
      if (graph.inputs.length === 1) input = graph.inputs[0];
      else problem(`the model has ${graph.inputs.length} inputs (${knownInputNames(aliases)}): name the one to freeze, e.g. ${FLAG} ${graph.inputs[0] ?? 'NAME'}=0.5`);
    } else {
      input = [...aliases].find(([, names]) => names.has(name))?.[0];
      if (!input) problem(`the model has no input "${name}"; its inputs are ${knownInputNames(aliases)}`);
    }
    if (!input) continue;
    if (frozen.has(input)) { problem(`input "${input}" is given twice`); continue; }
    const spec = placeholderTensor(byName.get(input)!);
    if (list.length === 0) { problem(`no value given for input "${input}"`); continue; }
    const unheld = list.map((v) => whyNotHeld(String(spec.dtype), v)).find((why) => why !== undefined);
    if (unheld) { problem(`input "${input}": ${unheld}`); continue; }
    // As the TFLite exporter reads them: a signature's shape wins over the Placeholder's attribute.
    const declared = Object.values(graph.signatures).flatMap((sig) => Object.values(sig.inputs)).find((t) => parseTensorRef(t.name).node === input && t.shape)?.shape ?? spec.shape;
    const shape = valueShape(declared, list.length);
    if (typeof shape === 'string') { problem(`input "${input}": ${shape}`); continue; }
    frozen.set(input, constantOf(spec.dtype as DType, shape, list));
    given.set(input, list);
  }
  if (problems.length) throw new OptionsError(problems.join('; '));

  const constants = new Map(graph.constants);
  for (const [input, value] of frozen) constants.set(input, value);
  const nodes = graph.nodes.map((n) => (frozen.has(n.name) ? constNode(n.name, frozen.get(n.name)!) : n));
  const signatures: Record<string, Signature> = {};
  for (const [key, sig] of Object.entries(graph.signatures)) {
    const kept = Object.entries(sig.inputs).filter(([, t]) => !frozen.has(parseTensorRef(t.name).node));
    const gone = Object.entries(sig.inputs).filter(([, t]) => frozen.has(parseTensorRef(t.name).node));
    if (gone.length === 0) { signatures[key] = sig; continue; }
    const records: Record<string, FrozenInput> = { ...sig.frozenInputs };
    for (const [k, t] of gone) {
      const input = parseTensorRef(t.name).node;
      const value = frozen.get(input)!;
      records[k] = { name: t.name, dtype: value.dtype, shape: value.shape, values: given.get(input)! };
    }
    signatures[key] = { ...sig, inputs: Object.fromEntries(kept), frozenInputs: records };
  }
  return { ...graph, inputs: graph.inputs.filter((n) => !frozen.has(n)), nodes, constants, signatures };
}

/** Parses a --input-value value: "name=0.25", "name=1,2,3" (a vector), or "0.25" for the only input. */
export function parseInputValueFlag(value: string): [string, number | number[]] {
  const eq = value.lastIndexOf('=');
  const name = eq >= 0 ? value.slice(0, eq).trim() : '';
  const text = (eq >= 0 ? value.slice(eq + 1) : value).trim();
  const parts = text === '' ? [] : text.split(',').map((p) => p.trim());
  const bad = parts.filter((p) => p === '' || !Number.isFinite(Number(p)));
  if (parts.length === 0 || bad.length) {
    const got = parts.length === 0 ? 'no value' : `got ${bad.map((b) => `"${b}"`).join(', ')}`;
    throw new OptionsError(`${FLAG} "${value}": the value must be a number or a comma list of numbers (${got}); write ${FLAG} ${name || 'NAME'}=0.25`);
  }
  const numbers = parts.map(Number);
  return [name, numbers.length === 1 ? numbers[0]! : numbers];
}

/** "ratio = 0.25, bias = [1,2,3]": the frozen inputs of a signature, for notes. */
export function describeFrozenInputs(frozen: Readonly<Record<string, FrozenInput>>): string {
  return Object.entries(frozen).map(([key, f]) => `${key} = ${f.shape.length === 0 ? f.values[0] : `[${f.values.join(',')}]`}`).join(', ');
}

/** A frozen input's value as a tensor to feed: what the source model is run on to compare with the artifacts. */
export function frozenInputTensor(frozen: FrozenInput): TensorData {
  const value = constantOf(frozen.dtype as DType, frozen.shape, frozen.values);
  return { dtype: value.dtype, shape: value.shape, data: value.values as TypedArray };
}
