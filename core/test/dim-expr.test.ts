import { expect } from 'chai';
import {
  add, ceilDiv, constant, divideExactly, evaluateDim, floorDiv, floorMod, formatDim, isConstant, max, min, mul, neg, realDiv, roundReal, scale, sub, symbol,
  symbolsOf, type DimExpr,
} from '../src/index.js';

const H = symbol('H'), W = symbol('W'), N = symbol('N');
const same = (a: DimExpr, b: DimExpr) => expect(a.key, `${formatDim(a)} vs ${formatDim(b)}`).to.equal(b.key);

describe('symbolic dimension expressions', () => {
  it('gives equal sums, products and orders one canonical form', () => {
    same(add(H, W), add(W, H));
    same(mul(add(H, constant(1)), W), add(mul(W, H), W));
    same(sub(add(H, W), W), H);
    same(mul(constant(2), H), add(H, H));
    expect(isConstant(sub(mul(H, W), mul(W, H)))).to.equal(true);
  });

  it('pulls multiples out of floor-divisions and merges nested ones', () => {
    same(floorDiv(add(scale(H, 4), constant(6)), 4), add(H, add(constant(1), floorDiv(constant(2), 4))));
    same(floorDiv(scale(H, 4), 2), scale(H, 2));
    same(floorDiv(floorDiv(H, 2), 4), floorDiv(H, 8));
    same(floorDiv(add(scale(H, 2), constant(2)), 4), floorDiv(add(H, constant(1)), 2));
    same(ceilDiv(ceilDiv(H, 2), 2), ceilDiv(H, 4));
    same(floorDiv(H, 1), H);
  });

  it('computes constants exactly, with floor semantics for negatives', () => {
    expect(floorDiv(constant(-7), 2).constant).to.equal(-4);
    expect(floorMod(constant(-7), 3).constant).to.equal(2);
    expect(floorMod(constant(7), -3).constant).to.equal(-2);
    expect(ceilDiv(constant(7), 2).constant).to.equal(4);
  });

  it('evaluates floor, ceil and mod like integer arithmetic at many sizes', () => {
    const exprs = [ceilDiv(H, 32), floorDiv(sub(H, constant(3)), 2), floorMod(add(H, constant(5)), 4), floorDiv(neg(H), 3), ceilDiv(ceilDiv(add(H, W), 2), 3)];
    const truth = [(h: number) => Math.ceil(h / 32), (h: number) => Math.floor((h - 3) / 2), (h: number) => ((h + 5) % 4 + 4) % 4, (h: number) => Math.floor(-h / 3), (h: number, w: number) => Math.ceil(Math.ceil((h + w) / 2) / 3)];
    for (let h = 0; h < 70; h++) for (const w of [1, 7, 64]) {
      exprs.forEach((e, i) => expect(evaluateDim(e, (s) => (s === 'H' ? h : w)), `${formatDim(e)} at H=${h}, W=${w}`).to.equal(truth[i]!(h, w)));
    }
  });

  it('drops max/min arguments that dims being ≥ 0 decide, keeps the others', () => {
    same(max(constant(0), H), H);
    same(min(constant(0), H), constant(0));
    same(max(H, add(H, constant(2))), add(H, constant(2)));
    same(max(H, W), max(W, H));
    expect(formatDim(max(H, W))).to.equal('max(H, W)');
    expect(symbolsOf(min(H, constant(5))).has('H')).to.equal(true);
  });

  it('divides exactly by monomials (reshape -1) and leaves other quotients opaque', () => {
    same(divideExactly(mul(mul(N, H), scale(W, 6)), mul(N, constant(3))), mul(H, scale(W, 2)));
    same(divideExactly(scale(mul(H, W), 4), constant(2)), scale(mul(H, W), 2));
    const q = divideExactly(add(H, W), H);
    expect(isConstant(q)).to.equal(false);
    expect(evaluateDim(q, (s) => (s === 'H' ? 4 : 8))).to.equal(3);
  });

  it('turns float division by a constant then ceil/floor into integer division', () => {
    same(roundReal('ceil', realDiv(H, constant(32))), ceilDiv(H, 32));
    same(roundReal('floor', realDiv(H, constant(8))), floorDiv(H, 8));
    same(realDiv(scale(H, 4), constant(2)), scale(H, 2));
    expect(isConstant(roundReal('trunc', scale(H, 0.5)))).to.equal(false);
  });

  it('formats as people write shapes', () => {
    expect(formatDim(ceilDiv(H, 32))).to.equal('ceil(H/32)');
    expect(formatDim(floorDiv(sub(H, constant(1)), 2))).to.equal('ceil(H/2) - 1');
    expect(formatDim(sub(scale(W, 2), constant(1)))).to.equal('2*W - 1');
    expect(formatDim(mul(N, mul(H, W)))).to.equal('H*N*W');
    expect(formatDim(null)).to.equal('?');
  });

  it('keeps data-decided symbols apart from input symbols of the same name', () => {
    expect(symbol('n', 'data').key).to.not.equal(symbol('n').key);
    expect([...symbolsOf(add(symbol('k', 'data'), H)).entries()]).to.deep.equal([['H', 'input'], ['k', 'data']]);
  });
});
