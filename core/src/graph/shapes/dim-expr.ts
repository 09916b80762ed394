/**
 * Symbolic dimension expressions in a canonical form: a constant plus a sum of terms, each an
 * integer coefficient times a sorted product of atoms (symbols, floor-divisions by a constant,
 * max/min, opaque functions). Two expressions are equal exactly when their `key`s are equal, so
 * simplification happens at construction and comparisons are string compares.
 */
export type Atom =
  | { readonly kind: 'symbol'; readonly name: string; readonly origin: SymbolOrigin; readonly key: string }
  | { readonly kind: 'floordiv'; readonly num: DimExpr; readonly den: number; readonly key: string }
  | { readonly kind: 'max' | 'min'; readonly args: readonly DimExpr[]; readonly key: string }
  | { readonly kind: 'opaque'; readonly fn: OpaqueFn; readonly args: readonly DimExpr[]; readonly key: string };

/** 'input': an open dimension of a graph input; 'data': a size decided by tensor values (Where, NMS). */
export type SymbolOrigin = 'input' | 'data';

/**
 * Functions kept unevaluated because no canonical form covers them. 'div' and 'mul' are real
 * valued (float arithmetic on sizes); the others are integers.
 */
export type OpaqueFn = 'div' | 'mul' | 'floor' | 'ceil' | 'trunc' | 'round' | 'exactdiv' | 'bcast';
const REAL_FNS: ReadonlySet<OpaqueFn> = new Set(['div', 'mul']);

export interface Term {
  readonly coef: number;
  readonly atoms: readonly Atom[];
  readonly key: string;
}

export interface DimExpr {
  readonly constant: number;
  readonly terms: readonly Term[];
  readonly key: string;
}

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function makeExpr(constant: number, monomials: Map<string, { coef: number; atoms: readonly Atom[] }>): DimExpr {
  const terms: Term[] = [];
  for (const [key, { coef, atoms }] of monomials) if (coef !== 0) terms.push({ coef, atoms, key });
  terms.sort(byKey);
  const c = Object.is(constant, -0) ? 0 : constant;
  const key = terms.length === 0 ? String(c) : `${terms.map((t) => `${t.coef}*${t.key}`).join('+')}${c === 0 ? '' : `+${c}`}`;
  return { constant: c, terms, key };
}

function monomialsOf(e: DimExpr): Map<string, { coef: number; atoms: readonly Atom[] }> {
  return new Map(e.terms.map((t) => [t.key, { coef: t.coef, atoms: t.atoms }]));
}

function atomExpr(atom: Atom): DimExpr {
  return makeExpr(0, new Map([[atom.key, { coef: 1, atoms: [atom] }]]));
}

export function constant(n: number): DimExpr {
  return makeExpr(n, new Map());
}

export function symbol(name: string, origin: SymbolOrigin = 'input'): DimExpr {
  return atomExpr({ kind: 'symbol', name, origin, key: `${origin === 'data' ? '?' : '$'}${name}` });
}

export function isConstant(e: DimExpr): boolean {
  return e.terms.length === 0;
}

/** The number when `e` has no symbol, else undefined. */
export function constantValue(e: DimExpr | null | undefined): number | undefined {
  return e && e.terms.length === 0 ? e.constant : undefined;
}

export function sameDim(a: DimExpr | null, b: DimExpr | null): boolean {
  return a !== null && b !== null && a.key === b.key;
}

function atomIsIntegral(a: Atom): boolean {
  if (a.kind === 'opaque') return !REAL_FNS.has(a.fn);
  if (a.kind === 'max' || a.kind === 'min') return a.args.every(isIntegral);
  return true;
}

/** True when `e` takes integer values for integer symbols (no real-valued float arithmetic in it). */
export function isIntegral(e: DimExpr): boolean {
  return Number.isInteger(e.constant) && e.terms.every((t) => Number.isInteger(t.coef) && t.atoms.every(atomIsIntegral));
}

export function add(a: DimExpr, b: DimExpr): DimExpr {
  const m = monomialsOf(a);
  for (const t of b.terms) {
    const prev = m.get(t.key);
    m.set(t.key, { coef: (prev?.coef ?? 0) + t.coef, atoms: t.atoms });
  }
  return makeExpr(a.constant + b.constant, m);
}

export function scale(a: DimExpr, k: number): DimExpr {
  if (k === 0) return constant(0);
  if (isConstant(a)) return constant(a.constant * k);
  if (!Number.isInteger(k)) return opaque('mul', [a, constant(k)]);
  return makeExpr(a.constant * k, new Map(a.terms.map((t) => [t.key, { coef: t.coef * k, atoms: t.atoms }])));
}

export const neg = (a: DimExpr): DimExpr => scale(a, -1);
export const sub = (a: DimExpr, b: DimExpr): DimExpr => add(a, neg(b));

export function mul(a: DimExpr, b: DimExpr): DimExpr {
  if (isConstant(a)) return scale(b, a.constant);
  if (isConstant(b)) return scale(a, b.constant);
  const m = new Map<string, { coef: number; atoms: readonly Atom[] }>();
  const put = (coef: number, atoms: readonly Atom[]) => {
    const sorted = [...atoms].sort(byKey);
    const key = sorted.map((x) => x.key).join('*');
    const prev = m.get(key);
    m.set(key, { coef: (prev?.coef ?? 0) + coef, atoms: sorted });
  };
  const ta = [...a.terms, { coef: a.constant, atoms: [], key: '' }];
  const tb = [...b.terms, { coef: b.constant, atoms: [], key: '' }];
  let c = 0;
  for (const x of ta) for (const y of tb) {
    if (x.atoms.length === 0 && y.atoms.length === 0) c += x.coef * y.coef;
    else put(x.coef * y.coef, [...x.atoms, ...y.atoms]);
  }
  return makeExpr(c, m);
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

/** floor(a / k) for a constant integer k ≠ 0, pulling out multiples of k and merging nested divisions. */
export function floorDiv(a: DimExpr, k: number): DimExpr {
  if (!Number.isInteger(k) || k === 0) return opaque('floor', [realDiv(a, constant(k))]);
  if (isConstant(a)) return constant(Math.floor(a.constant / k));
  if (!isIntegral(a)) return opaque('floor', [realDiv(a, constant(k))]);
  if (k < 0) return floorDiv(neg(a), -k);
  if (k === 1) return a;
  // floor((k·q + r)/k) = q + floor(r/k) for integer q: keep only remainders in [0, k) inside.
  const outside = new Map<string, { coef: number; atoms: readonly Atom[] }>();
  const inside = new Map<string, { coef: number; atoms: readonly Atom[] }>();
  for (const t of a.terms) {
    const q = Math.floor(t.coef / k), r = t.coef - q * k;
    if (q) outside.set(t.key, { coef: q, atoms: t.atoms });
    if (r) inside.set(t.key, { coef: r, atoms: t.atoms });
  }
  const qc = Math.floor(a.constant / k), rc = a.constant - qc * k;
  const out = makeExpr(qc, outside);
  if (inside.size === 0) return out;
  let num = makeExpr(rc, inside);
  let den = k;
  const g = num.terms.reduce((acc, t) => gcd(acc, t.coef), gcd(rc, k));
  if (g > 1) { num = makeExpr(rc / g, new Map([...inside].map(([key, v]) => [key, { coef: v.coef / g, atoms: v.atoms }]))); den = k / g; }
  // floor((floor(b/k1) + c)/k) = floor((b + c·k1)/(k1·k)).
  const only = num.terms.length === 1 && num.terms[0]!.coef === 1 && num.terms[0]!.atoms.length === 1 ? num.terms[0]!.atoms[0]! : undefined;
  if (only?.kind === 'floordiv') return add(out, floorDiv(add(only.num, constant(num.constant * only.den)), only.den * den));
  const atom: Atom = { kind: 'floordiv', num, den, key: `fl(${num.key}/${den})` };
  return add(out, atomExpr(atom));
}

/** ceil(a / k) = floor((a + k − 1) / k) for k > 0. */
export function ceilDiv(a: DimExpr, k: number): DimExpr {
  if (isConstant(a)) return constant(Math.ceil(a.constant / k));
  if (Number.isInteger(k) && k > 0 && isIntegral(a)) return floorDiv(add(a, constant(k - 1)), k);
  return opaque('ceil', [realDiv(a, constant(k))]);
}

/** a mod k with the sign of k (TensorFlow's FloorMod), as a − k·floor(a/k). */
export function floorMod(a: DimExpr, k: number): DimExpr {
  if (isConstant(a)) return constant(a.constant - k * Math.floor(a.constant / k));
  return sub(a, scale(floorDiv(a, k), k));
}

function extremum(kind: 'max' | 'min', args: readonly DimExpr[]): DimExpr {
  const flat: DimExpr[] = [];
  for (const a of args) {
    const only = a.constant === 0 && a.terms.length === 1 && a.terms[0]!.coef === 1 && a.terms[0]!.atoms.length === 1 ? a.terms[0]!.atoms[0]! : undefined;
    if (only && only.kind === kind) flat.push(...only.args); else flat.push(a);
  }
  const unique = [...new Map(flat.map((a) => [a.key, a])).values()];
  // An argument another one provably bounds (dims are never negative) cannot win.
  const beaten = (a: DimExpr) => unique.some((b) => b !== a && isNonNegative(kind === 'max' ? sub(b, a) : sub(a, b)));
  const kept = unique.filter((a) => !beaten(a));
  if (kept.length === 1) return kept[0]!;
  kept.sort(byKey);
  return atomExpr({ kind, args: kept, key: `${kind}(${kept.map((x) => x.key).join(',')})` });
}

function atomIsNonNegative(a: Atom): boolean {
  if (a.kind === 'symbol') return true;
  if (a.kind === 'floordiv') return isNonNegative(a.num);
  if (a.kind === 'max') return a.args.some(isNonNegative);
  if (a.kind === 'min' || (a.kind === 'opaque' && a.fn === 'bcast')) return a.args.every(isNonNegative);
  return false;
}

/** Provably ≥ 0, given that every symbol (a dimension or a count) is ≥ 0. */
export function isNonNegative(e: DimExpr): boolean {
  return e.constant >= 0 && e.terms.every((t) => t.coef > 0 && t.atoms.every(atomIsNonNegative));
}

export const max = (...args: DimExpr[]): DimExpr => extremum('max', args);
export const min = (...args: DimExpr[]): DimExpr => extremum('min', args);

export function opaque(fn: OpaqueFn, args: readonly DimExpr[]): DimExpr {
  return atomExpr({ kind: 'opaque', fn, args, key: `${fn}(${args.map((x) => x.key).join(',')})` });
}

/** a / b in real arithmetic; exact when both are constants or b divides every coefficient of a. */
export function realDiv(a: DimExpr, b: DimExpr): DimExpr {
  if (isConstant(a) && isConstant(b)) return constant(a.constant / b.constant);
  const k = constantValue(b);
  if (k !== undefined && k !== 0 && isIntegral(a) && a.constant % k === 0 && a.terms.every((t) => t.coef % k === 0)) {
    return makeExpr(a.constant / k, new Map(a.terms.map((t) => [t.key, { coef: t.coef / k, atoms: t.atoms }])));
  }
  return opaque('div', [a, b]);
}

/**
 * a / b where the caller knows b divides a (Reshape's -1): exact when b is a constant or a
 * monomial dividing every term of a, else an opaque quotient.
 */
export function divideExactly(a: DimExpr, b: DimExpr): DimExpr {
  const k = constantValue(b);
  if (k !== undefined) return k === 0 ? opaque('exactdiv', [a, b]) : floorDiv(a, k);
  if (b.constant === 0 && b.terms.length === 1 && a.constant === 0) {
    const { coef, atoms } = b.terms[0]!;
    const quotient = new Map<string, { coef: number; atoms: readonly Atom[] }>();
    for (const t of a.terms) {
      const rest = [...t.atoms];
      for (const x of atoms) {
        const i = rest.findIndex((y) => y.key === x.key);
        if (i < 0) return opaque('exactdiv', [a, b]);
        rest.splice(i, 1);
      }
      const key = rest.map((x) => x.key).join('*');
      quotient.set(key, { coef: (quotient.get(key)?.coef ?? 0) + t.coef, atoms: rest });
    }
    const q = quotient.get('');
    quotient.delete('');
    return floorDiv(makeExpr(q?.coef ?? 0, quotient), coef);
  }
  return opaque('exactdiv', [a, b]);
}

/** floor/ceil/trunc/round of a real value; integral values pass through, x/k becomes a floor-division. */
export function roundReal(fn: 'floor' | 'ceil' | 'trunc' | 'round', a: DimExpr): DimExpr {
  if (isConstant(a)) {
    const x = a.constant;
    return constant(fn === 'floor' ? Math.floor(x) : fn === 'ceil' ? Math.ceil(x) : fn === 'trunc' ? Math.trunc(x) : roundHalfEven(x));
  }
  if (isIntegral(a)) return a;
  const only = a.constant === 0 && a.terms.length === 1 && a.terms[0]!.coef === 1 && a.terms[0]!.atoms.length === 1 ? a.terms[0]!.atoms[0]! : undefined;
  if (only?.kind === 'opaque' && only.fn === 'div' && (fn === 'floor' || fn === 'ceil')) {
    const [n, d] = only.args as [DimExpr, DimExpr];
    const k = constantValue(d);
    if (k !== undefined && Number.isInteger(k) && k > 0 && isIntegral(n)) return fn === 'floor' ? floorDiv(n, k) : ceilDiv(n, k);
  }
  return opaque(fn, [a]);
}

/** Rounding to nearest, ties to even: TensorFlow's Round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The symbols `e` depends on, by name. */
export function symbolsOf(e: DimExpr, into: Map<string, SymbolOrigin> = new Map()): Map<string, SymbolOrigin> {
  const visit = (a: Atom) => {
    if (a.kind === 'symbol') into.set(a.name, a.origin);
    else if (a.kind === 'floordiv') symbolsOf(a.num, into);
    else a.args.forEach((x) => symbolsOf(x, into));
  };
  for (const t of e.terms) t.atoms.forEach(visit);
  return into;
}
