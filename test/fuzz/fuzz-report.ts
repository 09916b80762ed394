import type { FuzzReport } from './fuzz-run.js';

/** The figures of a run as a Markdown table and a list of defect classes: printed, and pasted in docs/reliability.md. */
export function formatFuzzReport(report: FuzzReport, options: { clearErrors?: boolean } = {}): string {
  const rows = Object.entries(report.byKind).map(([kind, f]) => `| ${kind} | ${f.cases} | ${f.success} | ${f.clear} | ${f.defect} | ${f.hang} | ${f.crash} |`);
  const total = Object.values(report.byKind).reduce((t, f) => ({
    cases: t.cases + f.cases, success: t.success + f.success, clear: t.clear + f.clear, defect: t.defect + f.defect, hang: t.hang + f.hang, crash: t.crash + f.crash,
  }), { cases: 0, success: 0, clear: 0, defect: 0, hang: 0, crash: 0 });
  const lines = [
    `seed ${report.seed}, ${report.cases} cases, ${(report.ms / 1000).toFixed(1)} s, ${report.restarts} worker restart(s) after hangs or crashes`,
    '',
    '| kind | cases | successes | clear errors | defects | hangs | crashes |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    `| all | ${total.cases} | ${total.success} | ${total.clear} | ${total.defect} | ${total.hang} | ${total.crash} |`,
    '',
    `${report.defects.length} defect class(es)${report.defects.length ? ' (kind, outcome, cases, message; smallest mutation; case seed):' : ''}`,
    ...report.defects.map((d) => `- ${d.kind} ${d.outcome} ×${d.count}: ${d.message.replace(/\s+/g, ' ')}\n  mutation: ${d.mutation} (case seed ${d.caseSeed})`),
    ...(options.clearErrors ? ['', `${report.clearErrors.length} clear error class(es):`, ...report.clearErrors.map((d) => `- ${d.kind} ×${d.count}: ${d.message.replace(/\s+/g, ' ')}\n  mutation: ${d.mutation}`)] : []),
  ];
  return lines.join('\n');
}
