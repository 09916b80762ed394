import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  evaluateDim, formatShape, GraphExecutor, inferShapes, initBackend, loadTfjsGraphModel, parseTensorRef, randomTensor, seededRandom,
  type DType, type Graph, type ShapeInference, type TensorData, type TensorRef,
} from '../src/index.js';

const CORPUS_DIR = fileURLToPath(new URL('../../../.corpus/models/', import.meta.url));

/** Feeds by input name: a shape, and a constant value where random data would not do (rvm's states and ratio). */
type FeedSpec = Readonly<Record<string, { readonly shape: readonly number[]; readonly value?: number }>>;

const image = (n: number, h: number, w: number, input: string): FeedSpec => ({ [input]: { shape: [n, h, w, 3] } });
const rvm = (h: number, w: number, ratio: number): FeedSpec => ({
  src: { shape: [1, h, w, 3] }, downsample_ratio: { shape: [], value: ratio },
  r1i: { shape: [], value: 0 }, r2i: { shape: [], value: 0 }, r3i: { shape: [], value: 0 }, r4i: { shape: [], value: 0 },
});

/**
 * Models with open dims at 2–3 sizes each, and fixed-shape models at their one size; `claims` is
 * the share of nodes inference must describe. handtrack runs everything inside a while loop over
 * the batch and rvm behind a cond on its ratio: control flow has no rule, so nearly nothing there
 * is claimed, and the check is that whatever is claimed holds.
 */
const CASES: Readonly<Record<string, { readonly sizes: readonly FeedSpec[]; readonly claims: number }>> = {
  faceboxes: { sizes: [image(1, 64, 64, 'image_tensor'), image(1, 256, 256, 'image_tensor'), image(2, 160, 320, 'image_tensor')], claims: 0.5 },
  rvm: { sizes: [rvm(96, 128, 0.5), rvm(160, 96, 1)], claims: 0 },
  'movenet-multipose': { sizes: [image(1, 192, 256, 'input'), image(1, 256, 256, 'input')], claims: 0.5 },
  handtrack: { sizes: [image(1, 128, 128, 'input_tensor'), image(1, 160, 96, 'input_tensor')], claims: 0 },
  'facemesh-attention': { sizes: [image(1, 192, 192, 'input_1'), image(2, 192, 192, 'input_1')], claims: 0.5 },
  'blazepose-detector': { sizes: [image(2, 224, 224, 'input')], claims: 0.5 },
  age: { sizes: [image(3, 64, 64, 'input_1')], claims: 0.5 },
  nanodet: { sizes: [{}], claims: 0.5 },
  blazeface: { sizes: [{}], claims: 0.5 },
  iris: { sizes: [{}], claims: 0.5 },
  emotion: { sizes: [{}], claims: 0.5 },
  'facemesh-detection-short': { sizes: [{}], claims: 0.5 },
};

function feedsFor(graph: Graph, spec: FeedSpec, seed: number): Record<string, TensorData> {
  const random = seededRandom(seed);
  const byName = new Map(graph.nodes.map((n) => [n.name, n]));
  return Object.fromEntries(graph.inputs.map((name) => {
    const node = byName.get(name)!;
    const declared = node.attrs.shape && 'shape' in node.attrs.shape ? node.attrs.shape.shape : null;
    const given = spec[name];
    const shape = given?.shape ?? (declared ?? []).map((d) => (d < 0 ? 1 : d));
    const dtype = (node.attrs.dtype && 'type' in node.attrs.dtype ? node.attrs.dtype.type : 'float32') as DType;
    const t = given?.value !== undefined
      ? { dtype, shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => given.value!) }
      : randomTensor(dtype, shape, random);
    return [name, t];
  }));
}

/** Every tensor inference claims something about, minus weights and inputs. */
function claimedRefs(graph: Graph, inference: ShapeInference): TensorRef[] {
  const ops = new Map(graph.nodes.map((n) => [n.name, n.op]));
  return [...inference.tensors.entries()]
    .filter(([ref, f]) => !['Const', 'Placeholder'].includes(ops.get(parseTensorRef(ref).node)!) && (f.shape !== null || f.values))
    .map(([ref]) => ref);
}

const close = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a), Math.abs(b));

/**
 * Compares inferred facts with a real run. Symbols of inputs take the fed sizes; a data-decided
 * symbol takes the value it first has, and must keep it everywhere else it appears.
 */
function mismatches(inference: ShapeInference, refs: readonly TensorRef[], actual: readonly TensorData[], feeds: Record<string, TensorData>): string[] {
  const env = new Map<string, number>();
  for (const s of inference.symbols) env.set(s.name, feeds[s.input]!.shape[s.axis]!);
  const problems: string[] = [];
  refs.forEach((ref, i) => {
    const facts = inference.facts(ref), got = actual[i]!;
    const where = `${ref} inferred ${formatShape(facts.shape)}, ran [${got.shape.join(', ')}]`;
    if (facts.shape !== null) {
      if (facts.shape.length !== got.shape.length) { problems.push(`${where}: rank`); return; }
      facts.shape.forEach((d, axis) => {
        if (d === null) return;
        const only = d.terms.length === 1 && d.constant === 0 && d.terms[0]!.coef === 1 && d.terms[0]!.atoms[0]!.kind === 'symbol' ? d.terms[0]!.atoms[0]! : undefined;
        if (only?.kind === 'symbol' && only.origin === 'data' && !env.has(only.name)) env.set(only.name, got.shape[axis]!);
        const v = evaluateDim(d, (n) => env.get(n));
        if (v !== undefined && v !== got.shape[axis]) problems.push(`${where}: axis ${axis} is ${v}`);
      });
    }
    if (facts.values && got.dtype !== 'string') {
      const data = got.data as ArrayLike<number>;
      if (facts.values.length !== data.length) { problems.push(`${where}: ${facts.values.length} values tracked, ${data.length} produced`); return; }
      facts.values.forEach((e, k) => {
        const v = e === null ? undefined : evaluateDim(e, (n) => env.get(n));
        if (v !== undefined && !close(v, Number(data[k]))) problems.push(`${ref}: value ${k} inferred ${v}, ran ${data[k]}`);
      });
    }
  });
  return problems;
}

describe('inferShapes against real tfjs runs of corpus models', function () {
  this.timeout(600_000);
  before(() => initBackend());

  for (const [name, { sizes: specs, claims }] of Object.entries(CASES)) {
    it(`${name}: every shape and value it claims matches the run at ${specs.length} size(s)`, async function () {
      const file = `${CORPUS_DIR}${name}.json`;
      if (!existsSync(file)) this.skip(); // npm run corpus
      const graph = await loadTfjsGraphModel(file);
      const inference = inferShapes(graph);
      const refs = claimedRefs(graph, inference);
      const ops = graph.nodes.filter((n) => n.op !== 'Const' && n.op !== 'Placeholder').length;
      expect(refs.length, 'tensors with inferred facts').to.be.at.least(Math.floor(ops * claims));
      if (refs.length === 0) {
        // Nothing outside control flow: then no output may be claimed either.
        for (const ref of graph.outputs) expect(inference.shape(ref), ref).to.equal(null);
        return;
      }
      const executor = await GraphExecutor.create(graph);
      try {
        for (const [k, spec] of specs.entries()) {
          const feeds = feedsFor(graph, spec, k + 1);
          const actual = await executor.run(feeds, refs);
          const problems = mismatches(inference, refs, actual, feeds);
          expect(problems.slice(0, 10), `${problems.length} mismatch(es) at ${JSON.stringify(Object.fromEntries(Object.entries(feeds).map(([n, t]) => [n, t.shape])))}`).to.deep.equal([]);
        }
      } finally {
        executor.dispose();
      }
    });
  }
});
