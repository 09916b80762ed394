import cliProgress from 'cli-progress';
import type { ExportStage, ProgressListener } from '@modelport/core';

const STAGES: readonly ExportStage[] = ['load', 'check', 'transform', 'quantize', 'write', 'validate', 'commit'];

/**
 * A progress bar over the stages of an export, on stderr, only when stderr is a terminal (never in
 * CI logs or pipes). Returns the listener and a function that stops the bar.
 */
export function exportProgress(targets: number, enabled: boolean): { listener: ProgressListener; stop: () => void } {
  if (!enabled || !process.stderr.isTTY || process.env.CI) return { listener: () => {}, stop: () => {} };
  const total = STAGES.length - 1 + targets;
  const bar = new cliProgress.SingleBar({
    stream: process.stderr, format: ' {bar} {percentage}% | {stage}', hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { stage: 'starting' });
  let done = 0;
  return {
    listener: (stage, detail) => { bar.update(done++, { stage: detail ? `${stage} ${detail}` : stage }); },
    stop: () => bar.stop(),
  };
}
