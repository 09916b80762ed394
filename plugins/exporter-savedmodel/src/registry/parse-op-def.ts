/**
 * Reads one op signature written the way TensorFlow's REGISTER_OP declares it, on one line:
 *   `Conv2D(input: T, filter: T) -> (output: T) | T: {half, float}; strides: list(int); padding: {'SAME', 'VALID'}; data_format: string = 'NHWC'`
 * Args: `name: T` (a type attr), `name: float` (a fixed type), `name: N * T` (N copies),
 * `name: Tlist` (a list(type) attr). Attrs: `name: type`, `name: int >= 1`, `name: list(int) >= 4`,
 * `name: {'A', 'B'}` (a string of these), `name: {float, int32}` (a type of these), `= default`.
 * The result has the fields of TensorFlow's OpDef message (as protobufjs objects take them).
 */

export interface ArgDef {
  readonly name: string;
  readonly type?: string;
  readonly typeAttr?: string;
  readonly numberAttr?: string;
  readonly typeListAttr?: string;
}

export interface AttrDef {
  readonly name: string;
  readonly type: string;
  /** The default as an AttrValue message object; absent: the attr is required. */
  readonly defaultValue?: Record<string, unknown>;
  readonly allowedValues?: Record<string, unknown>;
  readonly hasMinimum?: boolean;
  readonly minimum?: number;
}

export interface OpDef {
  readonly name: string;
  readonly inputArg: readonly ArgDef[];
  readonly outputArg: readonly ArgDef[];
  readonly attr: readonly AttrDef[];
  readonly isStateful?: boolean;
}

/** TensorFlow's type names in REGISTER_OP → DataType enum names. */
const TYPE_NAMES: Readonly<Record<string, string>> = {
  float: 'DT_FLOAT', double: 'DT_DOUBLE', half: 'DT_HALF', bfloat16: 'DT_BFLOAT16',
  int8: 'DT_INT8', int16: 'DT_INT16', int32: 'DT_INT32', int64: 'DT_INT64',
  uint8: 'DT_UINT8', uint16: 'DT_UINT16', uint32: 'DT_UINT32', uint64: 'DT_UINT64',
  bool: 'DT_BOOL', string: 'DT_STRING', resource: 'DT_RESOURCE', variant: 'DT_VARIANT',
  complex64: 'DT_COMPLEX64', complex128: 'DT_COMPLEX128',
};

function splitTop(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0, quote = false, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") quote = !quote;
    else if (!quote && (c === '{' || c === '[' || c === '(')) depth++;
    else if (!quote && (c === '}' || c === ']' || c === ')')) depth--;
    else if (!quote && depth === 0 && text.startsWith(sep, i) && !(sep === '=' && text[i - 1] === '>')) { parts.push(text.slice(start, i)); start = i + sep.length; }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

const unquote = (s: string) => s.trim().replace(/^'(.*)'$/, '$1');

function parseDefault(type: string, text: string): Record<string, unknown> {
  const t = text.trim();
  if (type === 'type') return { type: TYPE_NAMES[t] ?? t };
  if (type === 'string') return { s: Buffer.from(unquote(t)) };
  if (type === 'int') return { i: Number(t) };
  if (type === 'float') return { f: Number(t) };
  if (type === 'bool') return { b: t === 'true' };
  if (type === 'shape') return { shape: t === '?' ? { unknownRank: true } : {} };
  if (type.startsWith('list(')) {
    const items = splitTop(t.replace(/^\[|\]$/g, ''), ',');
    const kind = type.slice(5, -1);
    if (items.length === 0) return { list: {} }; // as TensorFlow writes an empty list
    if (kind === 'int') return { list: { i: items.map(Number) } };
    if (kind === 'float') return { list: { f: items.map(Number) } };
    if (kind === 'string') return { list: { s: items.map((s) => Buffer.from(unquote(s))) } };
    if (kind === 'type') return { list: { type: items.map((s) => TYPE_NAMES[s] ?? s) } };
    return { list: {} };
  }
  throw new Error(`op registry: no default syntax for ${type} (${text})`);
}

function parseAttr(text: string): AttrDef {
  const colon = text.indexOf(':');
  const name = text.slice(0, colon).trim();
  const [spec, def] = splitTop(text.slice(colon + 1), '=');
  let type = spec!.trim();
  let allowedValues: Record<string, unknown> | undefined;
  let minimum: number | undefined;
  const min = /^(.*?)\s*>=\s*(-?\d+)$/.exec(type);
  if (min) { type = min[1]!; minimum = Number(min[2]); }
  if (type.startsWith('{')) {
    const items = splitTop(type.slice(1, -1), ',');
    if (items[0]!.startsWith("'")) {
      type = 'string';
      allowedValues = { list: { s: items.map((s) => Buffer.from(unquote(s))) } };
    } else {
      type = 'type';
      allowedValues = { list: { type: items.map((s) => TYPE_NAMES[s] ?? s) } };
    }
  }
  return {
    name, type,
    ...(def !== undefined ? { defaultValue: parseDefault(type, def) } : {}),
    ...(allowedValues ? { allowedValues } : {}),
    ...(minimum !== undefined ? { hasMinimum: true, minimum } : {}),
  };
}

function parseArg(text: string, attrs: readonly AttrDef[]): ArgDef {
  const [name, spec] = text.split(':').map((s) => s.trim()) as [string, string];
  const times = spec.split('*').map((s) => s.trim());
  const typeName = times[times.length - 1]!;
  const numberAttr = times.length === 2 ? { numberAttr: times[0]! } : {};
  if (TYPE_NAMES[typeName]) return { name, type: TYPE_NAMES[typeName], ...numberAttr };
  const attr = attrs.find((a) => a.name === typeName);
  if (!attr) throw new Error(`op registry: arg ${name} names no attr or type "${typeName}"`);
  if (attr.type === 'list(type)') return { name, typeListAttr: typeName };
  return { name, typeAttr: typeName, ...numberAttr };
}

/** One op from its one-line signature (see the file comment); `stateful` as TF's SetIsStateful(). */
export function parseOpDef(line: string, stateful = false): OpDef {
  const [head, attrText = ''] = splitTop(line, '|');
  const m = /^(\w+)\s*\((.*)\)\s*->\s*\((.*)\)$/.exec(head!.trim());
  if (!m) throw new Error(`op registry: cannot read "${line}"`);
  const attr = splitTop(attrText, ';').map(parseAttr);
  return {
    name: m[1]!,
    inputArg: splitTop(m[2]!, ',').map((a) => parseArg(a, attr)),
    outputArg: splitTop(m[3]!, ',').map((a) => parseArg(a, attr)),
    attr,
    ...(stateful ? { isStateful: true } : {}),
  };
}
