import { ModelLoadError } from '../errors.js';
import type { TfjsNodeJson, TfjsTensorShapeJson } from './model-json.js';

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
// Proto3 JSON writes int64 as strings; past 2^53 a JavaScript number no longer holds it exactly.
const isInt = (v: unknown) => (typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v.trim()))) && Number.isSafeInteger(Number(v));

function shapeProblem(shape: unknown): string | undefined {
  if (shape === undefined) return undefined;
  if (!isObject(shape)) return 'is not a shape object';
  const dims = (shape as TfjsTensorShapeJson).dim;
  if (dims === undefined) return undefined;
  if (!Array.isArray(dims)) return 'has a "dim" that is not a list';
  for (const d of dims) {
    if (!isObject(d)) return 'has a dimension that is not an object';
    if (d.size !== undefined && (!isInt(d.size) || Number(d.size) < -1)) return `has dimension size ${JSON.stringify(d.size)}: sizes are whole numbers ≥ 0, or -1 for unknown`;
  }
  return undefined;
}

function attrProblem(v: unknown): string | undefined {
  if (!isObject(v)) return `is ${v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v}, not an AttrValue object`;
  if ('i' in v && !isInt(v.i)) return `has int ${JSON.stringify(v.i)}, not a whole number within ±2^53`;
  if ('f' in v && typeof v.f !== 'number' && Number.isNaN(Number(v.f)) && !/^-?(NaN|Infinity)$/.test(String(v.f))) return `has float ${JSON.stringify(v.f)}, not a number`;
  if ('shape' in v) return shapeProblem(v.shape);
  if ('tensor' in v && (!isObject(v.tensor) || shapeProblem(v.tensor.tensorShape))) return `has a tensor whose shape ${isObject(v.tensor) ? shapeProblem(v.tensor.tensorShape) : 'is missing'}`;
  if ('list' in v && v.list !== undefined && v.list !== null) {
    if (!isObject(v.list)) return 'has a list that is not an object';
    for (const key of ['i', 'f', 'b', 's', 'type', 'shape']) {
      if (v.list[key] !== undefined && !Array.isArray(v.list[key])) return `has list.${key} that is not a list`;
    }
    const badInt = (v.list.i ?? []).find((i: unknown) => !isInt(i));
    if (badInt !== undefined) return `has list int ${JSON.stringify(badInt)}, not a whole number within ±2^53`;
    for (const s of v.list.shape ?? []) { const p = shapeProblem(s); if (p) return `has a list shape that ${p}`; }
  }
  return undefined;
}

/**
 * Checks the JSON of every node before it is decoded: inputs a list of names, each attribute an
 * AttrValue object whose ints, floats and shapes are what their kind says. Names file, node, attr.
 */
export function checkTopologyNodes(nodes: readonly TfjsNodeJson[], file: string): void {
  for (const n of nodes) {
    const where = { file, node: n.name, op: n.op };
    if (n.input !== undefined && (!Array.isArray(n.input) || n.input.some((i) => typeof i !== 'string'))) {
      throw new ModelLoadError('"input" must be a list of tensor names', where);
    }
    if (n.attr === undefined) continue;
    if (!isObject(n.attr)) throw new ModelLoadError('"attr" must be an object of AttrValues', where);
    for (const [name, value] of Object.entries(n.attr)) {
      const problem = attrProblem(value);
      if (problem) throw new ModelLoadError(`attribute "${name}" ${problem}`, where);
    }
  }
}
