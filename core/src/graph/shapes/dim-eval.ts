import { roundHalfEven, type Atom, type DimExpr, type OpaqueFn } from './dim-expr.js';

const OPAQUE: Readonly<Record<OpaqueFn, (args: number[]) => number>> = {
  div: ([a, b]) => a! / b!,
  mul: ([a, b]) => a! * b!,
  floor: ([a]) => Math.floor(a!),
  ceil: ([a]) => Math.ceil(a!),
  trunc: ([a]) => Math.trunc(a!),
  round: ([a]) => roundHalfEven(a!),
  exactdiv: ([a, b]) => a! / b!,
  // Broadcasting two sizes: a 1 takes the other size.
  bcast: ([a, b]) => (a === 1 ? b! : a!),
};

/** The value of `e` with symbols taken from `env`; undefined when a symbol has no value. */
export function evaluateDim(e: DimExpr, env: (name: string) => number | undefined): number | undefined {
  let total = e.constant;
  for (const t of e.terms) {
    let p = t.coef;
    for (const a of t.atoms) {
      const v = evaluateAtom(a, env);
      if (v === undefined) return undefined;
      p *= v;
    }
    total += p;
  }
  return total;
}

function evaluateAtom(a: Atom, env: (name: string) => number | undefined): number | undefined {
  if (a.kind === 'symbol') return env(a.name);
  if (a.kind === 'floordiv') {
    const n = evaluateDim(a.num, env);
    return n === undefined ? undefined : Math.floor(n / a.den);
  }
  const args = a.args.map((x) => evaluateDim(x, env));
  if (args.some((x) => x === undefined)) return undefined;
  const xs = args as number[];
  if (a.kind === 'opaque') return OPAQUE[a.fn](xs);
  return a.kind === 'max' ? Math.max(...xs) : Math.min(...xs);
}
