import { a, TinyGraph } from './helpers/build.js';
import { expectClose, random, roundTrip } from './helpers/roundtrip.js';

interface SliceCase { readonly label: string; readonly begin: number[]; readonly end: number[]; readonly strides: number[]; readonly masks: Record<string, number> }

const CASES: readonly SliceCase[] = [
  { label: 'plain, negative indices', begin: [0, -3, 1], end: [2, -1, 4], strides: [1, 1, 2], masks: {} },
  { label: 'begin_mask and end_mask', begin: [1, 1, 0], end: [0, 3, 2], strides: [1, 1, 1], masks: { begin_mask: 0b101, end_mask: 0b001 } },
  { label: 'negative strides with masks (reverse)', begin: [0, -1, 0], end: [0, 0, 0], strides: [1, -1, -2], masks: { begin_mask: 0b111, end_mask: 0b111 } },
  { label: 'shrink_axis_mask, including index -1', begin: [1, -1, 0], end: [2, 0, 5], strides: [1, 1, 1], masks: { shrink_axis_mask: 0b011 } },
  { label: 'ellipsis_mask', begin: [0, 1], end: [0, 3], strides: [1, 1], masks: { ellipsis_mask: 0b01 } },
  { label: 'new_axis_mask with ellipsis and shrink', begin: [0, 0, 2], end: [0, 0, 3], strides: [1, 1, 1], masks: { new_axis_mask: 0b001, ellipsis_mask: 0b010, shrink_axis_mask: 0b100 } },
  { label: 'fewer specs than axes (implicit trailing ellipsis)', begin: [1], end: [3], strides: [1], masks: {} },
  { label: 'new axis in the middle', begin: [0, 0, 1], end: [2, 0, 3], strides: [1, 1, 1], masks: { new_axis_mask: 0b010 } },
];

describe('exporter-onnx: StridedSlice and Slice', () => {
  for (const c of CASES) {
    it(`matches tfjs for StridedSlice: ${c.label}`, async () => {
      const g = new TinyGraph();
      const x = g.input('x', [3, 4, 5]);
      const n = c.begin.length;
      const attrs = Object.fromEntries(['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask'].map((m) => [m, a.int(c.masks[m] ?? 0)]));
      const y = g.op('StridedSlice', [x, g.const('int32', [n], c.begin), g.const('int32', [n], c.end), g.const('int32', [n], c.strides)], attrs);
      expectClose(await roundTrip(g.build(y), { x: random('float32', [3, 4, 5]) }));
    });
  }

  it('matches tfjs for StridedSlice with begin computed at run time', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [-1, 4]);
    const n = g.op('StridedSlice', [g.op('Shape', [x], { out_type: a.dtype('int32') }), g.const('int32', [1], [0]), g.const('int32', [1], [1]), g.const('int32', [1], [1])], { shrink_axis_mask: a.int(1) });
    const last = g.op('Sub', [n, g.const('int32', [], [1])]);
    const begin = g.op('Pack', [last, g.const('int32', [], [1])], { axis: a.int(0) });
    const y = g.op('StridedSlice', [x, begin, g.const('int32', [2], [0, 3]), g.const('int32', [2], [1, 1])], { shrink_axis_mask: a.int(1), end_mask: a.int(1) });
    expectClose(await roundTrip(g.build(y), { x: random('float32', [3, 4]) }));
  });

  it('matches tfjs for Slice with size -1', async () => {
    const g = new TinyGraph();
    const x = g.input('x', [3, 4, 5]);
    const y = g.op('Slice', [x, g.const('int32', [3], [1, 0, 2]), g.const('int32', [3], [-1, 2, -1])]);
    expectClose(await roundTrip(g.build(y), { x: random('float32', [3, 4, 5]) }));
  });
});
