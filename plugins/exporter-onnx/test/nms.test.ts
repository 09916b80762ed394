import { expect } from 'chai';
import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip, tensor } from './helpers/roundtrip.js';

/** Boxes [y1, x1, y2, x2] in a grid with overlaps, corners sometimes swapped (TF accepts either). */
function boxes(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = (i % 4) * 0.2, x = Math.floor(i / 4) * 0.15;
    const box = [y, x, y + 0.3, x + 0.25];
    out.push(...(i % 3 === 0 ? [box[2]!, box[3]!, box[0]!, box[1]!] : box));
  }
  return out;
}

describe('exporter-onnx: NonMaxSuppression and TopK', () => {
  it('selects the same boxes as tfjs for NonMaxSuppressionV3', async () => {
    const g = new TinyGraph();
    const b = g.input('boxes', [12, 4]);
    const s = g.input('scores', [12]);
    const y = g.op('NonMaxSuppressionV3', [b, s, g.const('int32', [], [6]), g.const('float32', [], [0.3]), g.const('float32', [], [0.2])]);
    const r = await roundTrip(g.build(y), { boxes: tensor('float32', [12, 4], boxes(12)), scores: random('float32', [12], 4) });
    expectClose(r);
    expect(r.reference[0]!.shape[0]).to.be.greaterThan(1);
  });

  it('pads indices to max_output_size and counts valid ones for NonMaxSuppressionV4', async () => {
    const g = new TinyGraph();
    const b = g.input('boxes', [12, 4]);
    const s = g.input('scores', [12]);
    const y = g.op('NonMaxSuppressionV4', [b, s, g.const('int32', [], [10]), g.const('float32', [], [0.4]), g.const('float32', [], [0.25])], { pad_to_max_output_size: a.bool(true) });
    const r = await roundTrip(g.build(y, g.out(y, 1)), { boxes: tensor('float32', [12, 4], boxes(12)), scores: random('float32', [12], 8) });
    expectClose(r);
    expect(r.reference[0]!.shape).to.deep.equal([10]);
  });

  // tfjs returns neither valid_outputs nor padding for V5: indices and scores are compared.
  it('returns the selected indices and their scores for NonMaxSuppressionV5', async () => {
    const g = new TinyGraph();
    const b = g.input('boxes', [12, 4]);
    const s = g.input('scores', [12]);
    const y = g.op('NonMaxSuppressionV5', [b, s, g.const('int32', [], [10]), g.const('float32', [], [0.4]), g.const('float32', [], [0.25]), g.const('float32', [], [0])], { pad_to_max_output_size: a.bool(false) });
    expectClose(await roundTrip(g.build(y, g.out(y, 1)), { boxes: tensor('float32', [12, 4], boxes(12)), scores: random('float32', [12], 8) }));
  });

  it('matches tfjs for TopKV2 (values and int32 indices) on a dynamic batch', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [-1, 9]);
    const t = g.op('TopKV2', [x, g.const('int32', [], [4])], { sorted: a.bool(true) });
    expectClose(await roundTrip(g.build(t, g.out(t, 1)), { x: random('float32', [2, 9]) }));
  });

  it('matches tfjs for Where (coordinates of true elements)', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [3, 4]);
    const w = g.op('Where', [g.op('Greater', [x, g.const('float32', [], [0.5])])]);
    expectClose(await roundTrip(g.build(w), { x: random('float32', [3, 4]) }));
  });
});
