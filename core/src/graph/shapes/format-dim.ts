import { isConstant, sub, constant, type Atom, type DimExpr, type Term } from './dim-expr.js';
import type { SymbolicShape } from './tensor-facts.js';

const simple = (e: DimExpr) => isConstant(e) || (e.constant === 0 && e.terms.length === 1 && e.terms[0]!.coef === 1 && e.terms[0]!.atoms.length === 1);
const wrapped = (e: DimExpr) => (simple(e) ? formatDim(e) : `(${formatDim(e)})`);

function formatAtom(a: Atom): string {
  if (a.kind === 'symbol') return a.name;
  if (a.kind === 'floordiv') {
    // floor((x + k − 1)/k) is how ceil(x/k) is kept; show it as written in models.
    if (a.num.constant === a.den - 1) return `ceil(${wrapped(sub(a.num, constant(a.den - 1)))}/${a.den})`;
    return `floor(${wrapped(a.num)}/${a.den})`;
  }
  if (a.kind === 'opaque' && (a.fn === 'div' || a.fn === 'exactdiv')) return `(${wrapped(a.args[0]!)}/${wrapped(a.args[1]!)})`;
  if (a.kind === 'opaque' && a.fn === 'mul') return `(${wrapped(a.args[0]!)}*${wrapped(a.args[1]!)})`;
  return `${a.kind === 'opaque' ? a.fn : a.kind}(${a.args.map(formatDim).join(', ')})`;
}

function formatTerm(t: Term): string {
  const body = t.atoms.map(formatAtom).join('*');
  const k = Math.abs(t.coef);
  return k === 1 ? body : `${k}*${body}`;
}

/** "ceil(H/32)", "2*N*W + 1": an expression as people write it. */
export function formatDim(e: DimExpr | null): string {
  if (e === null) return '?';
  if (isConstant(e)) return String(e.constant);
  // Positive terms first so that "W - 1" does not read "-1 + W".
  const terms = [...e.terms].sort((a, b) => Number(b.coef > 0) - Number(a.coef > 0));
  let out = '';
  for (const t of terms) {
    if (!out) out = `${t.coef < 0 ? '-' : ''}${formatTerm(t)}`;
    else out += ` ${t.coef < 0 ? '-' : '+'} ${formatTerm(t)}`;
  }
  if (e.constant) out += ` ${e.constant < 0 ? '-' : '+'} ${Math.abs(e.constant)}`;
  return out;
}

/** "[-1, ceil(H/32), ceil(W/32), 6]"-style text; `?` for unknown dims, "(unknown rank)" when the rank is unknown. */
export function formatShape(shape: SymbolicShape): string {
  return shape === null ? '(unknown rank)' : `[${shape.map(formatDim).join(', ')}]`;
}
