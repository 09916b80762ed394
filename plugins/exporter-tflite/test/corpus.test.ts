import { existsSync, readdirSync } from 'node:fs';
import { expect } from 'chai';
import {
  initBackend, judgeOutput, onCpuBackend, placeholderTensor, UnsupportedOpsError, type Graph, type OutputVerdict, type TensorData,
} from '@modelport/core';
import { DynamicInputShapeError } from '../src/index.js';
import { CORPUS_DIR, loadCorpusModel } from './corpus-models.js';
import { writeCorpusMarkdown, type CorpusRow } from './corpus-report.js';
import { exportAndCompare, inputsFor, runTfjs } from './run-both.js';


const TOLERANCE = 1e-4;

/** Models refused, and the error class expected. */
const EXPECTED_REFUSALS: Readonly<Record<string, typeof UnsupportedOpsError | typeof DynamicInputShapeError>> = {};

/**
 * Input values other than the random ones. rvm's downsample_ratio sizes its network at run time
 * (a RESIZE_BILINEAR by the ratio); its recurrent states come out at the size the ratio gives, and
 * LiteRT.js hands outputs back only at their declared size (that of ratio 1). rvm-ratio.test.ts
 * checks fgr and pha at other ratios; frozen with --input-value, every output matches at 0.25 and
 * 0.5 (test/e2e/dynamic-shapes.test.ts).
 */
const INPUT_VALUES: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  rvm: { 'downsample_ratio:0': 1 },
};

/** Inputs a graph leaves dynamic besides the batch: a later --input-shape would be needed too. */
function dynamicInputs(graph: Graph): string[] {
  return graph.nodes.filter((n) => n.op === 'Placeholder').flatMap((n) => {
    const sig = Object.values(graph.signatures).flatMap((s) => Object.values(s.inputs)).find((t) => t.name.replace(/:0$/, '') === n.name)?.shape;
    const s = sig ?? placeholderTensor(n).shape;
    return s === null || s === undefined ? [`${n.name} (rank unknown)`] : s.some((d, i) => d < 0 && i > 0) ? [`${n.name} [${s.join(',')}]`] : [];
  });
}

/** "v1 control flow …: Enter ×12, Merge ×4; not translated: Where ×1": the ops of an UnsupportedOpsError, counted. */
function summariseRefusal(e: UnsupportedOpsError): string {
  const groups = new Map<string, Map<string, number>>();
  for (const u of e.unsupported) {
    const group = u.op.includes('control flow') ? 'control flow of a structure not translated' : 'not translated';
    const op = u.op.split(/[:(]/)[0]!.trim();
    const counts = groups.get(group) ?? new Map<string, number>();
    counts.set(op, (counts.get(op) ?? 0) + 1);
    groups.set(group, counts);
  }
  return [...groups].map(([group, counts]) => `${group}: ${[...counts].map(([op, n]) => `${op} ×${n}`).join(', ')}`).join('; ');
}

describe('exporter-tflite: the corpus in LiteRT.js vs tfjs', function () {
  const models = existsSync(CORPUS_DIR) ? readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort() : [];
  const rows: CorpusRow[] = [];
  let backend = '';
  before(async function () {
    if (models.length === 0) this.skip(); // `npm run corpus` fetches it
    backend = await initBackend();
  });
  after(async () => {
    // MODELPORT_CORPUS_REPORT=file writes the table docs/formats/tflite.md shows.
    const report = process.env.MODELPORT_CORPUS_REPORT;
    if (report && rows.length === models.length && models.length) {
      const environment = `Environment: Node ${process.versions.node}, LiteRT.js @litertjs/core 2.5.3 (wasm, XNNPACK, 1 thread), tfjs 4.22 backend ${backend}.`;
      await writeCorpusMarkdown(report, rows, environment);
    }
  });

  for (const name of models) {
    it(`${name}`, async () => {
      const graph = await loadCorpusModel(name);
      const inputs = inputsFor(graph);
      for (const [key, value] of Object.entries(INPUT_VALUES[name] ?? {})) (inputs[key]!.data as Float32Array)[0] = value;
      let run;
      try {
        run = await exportAndCompare(graph, {}, TOLERANCE, inputs);
      } catch (e) {
        const expected = EXPECTED_REFUSALS[name];
        const dynamic = dynamicInputs(graph);
        const reason = e instanceof UnsupportedOpsError ? summariseRefusal(e) : e instanceof DynamicInputShapeError ? e.problems.join('; ') : (e as Error).message;
        rows.push({ model: name, status: 'refused', reason: `${reason}${dynamic.length && !(e instanceof DynamicInputShapeError) ? `; inputs also dynamic: ${dynamic.join(', ')}` : ''}` });
        if (!expected || !(e instanceof expected)) throw e;
        return;
      }
      expect(EXPECTED_REFUSALS[name], `${name} was expected to be refused`).to.equal(undefined);
      // Judged as the validation step judges (core's rules for an uncertain reference).
      let cpu: Record<string, TensorData> | undefined;
      const verdicts: OutputVerdict[] = [];
      for (const [key, reference] of Object.entries(run.reference)) {
        const actual = run.outputs[key];
        expect(actual, `${name}: output ${key} missing from the TFLite outputs`).to.not.equal(undefined);
        verdicts.push(await judgeOutput(key, actual!, reference, async () => (cpu ??= await onCpuBackend(() => runTfjs(graph, inputs)))[key]!, TOLERANCE));
      }
      const rel = (v: OutputVerdict) => v.maxAbsDiff / (v.maxAbsRef || 1);
      const failed = verdicts.filter((v) => v.status === 'FAIL');
      const worst = failed[0] ?? verdicts.reduce((w, v) => (rel(v) > rel(w) ? v : w));
      const notes = verdicts.flatMap((v) => (v.note || v.problem ? [`${v.output}: ${v.note ?? v.problem}`] : []));
      rows.push({ model: name, status: worst.status, ops: run.ops, size: run.bytes.byteLength, maxAbsDiff: worst.maxAbsDiff, maxAbsRef: worst.maxAbsRef, ...(notes.length ? { reason: notes.join('; ') } : {}) });
      expect(failed.map((v) => `${v.output}: ${v.problem}`)).to.deep.equal([]);
    });
  }
});
