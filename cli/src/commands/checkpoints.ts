import type { Command } from 'commander';
import { listCheckpoints, listCheckpointsTable, pruneCheckpoints, type RetentionPolicy } from '@modelport/checkpoint-manager';
import { OptionsError } from '@modelport/core';

interface CheckpointsFlags {
  prune?: boolean;
  dryRun?: boolean;
  maxToKeep?: string;
  keepBest?: string;
  keepEveryHours?: string;
  json?: boolean;
}

/** "val.loss:min:3" → keep the 3 lowest val.loss; mode and count are optional (min, 1). */
function parseKeepBest(value: string): NonNullable<RetentionPolicy['keepBest']> {
  const [metric, mode = 'min', count = '1'] = value.split(':');
  if (!metric || (mode !== 'min' && mode !== 'max') || !/^\d+$/.test(count) || Number(count) < 1) {
    throw new OptionsError(`--keep-best "${value}": write METRIC[:min|max[:COUNT]], e.g. val.loss:min:3`);
  }
  return { metric, mode, count: Number(count) };
}

function policyOf(flags: CheckpointsFlags): RetentionPolicy | undefined {
  const policy: RetentionPolicy = {
    ...(flags.maxToKeep ? { maxToKeep: Number(flags.maxToKeep) } : {}),
    ...(flags.keepEveryHours ? { keepCheckpointEveryNHours: Number(flags.keepEveryHours) } : {}),
    ...(flags.keepBest ? { keepBest: parseKeepBest(flags.keepBest) } : {}),
  };
  return Object.keys(policy).length ? policy : undefined;
}

export function registerCheckpoints(program: Command): void {
  program.command('checkpoints')
    .description('list the checkpoints of <base>/<model> with their metrics, or prune them by the retention policy')
    .argument('<dir>', 'the model directory of a checkpoint repository (<base>/<model>)')
    .option('--prune', 'delete what the policy does not keep (the policy recorded in checkpoint.json, or the flags below)')
    .option('--dry-run', 'with --prune: say what would be deleted, delete nothing')
    .option('--max-to-keep <n>', 'keep the n newest')
    .option('--keep-best <metric[:min|max[:k]]>', 'also keep the k best by a metric (nested names: val.loss)')
    .option('--keep-every-hours <h>', 'also keep the first checkpoint of every h hours')
    .option('--json', 'print JSON')
    .action(async (dir: string, flags: CheckpointsFlags) => {
      const policy = policyOf(flags);
      if (flags.prune) {
        const result = await pruneCheckpoints(dir, policy, { ...(flags.dryRun ? { dryRun: true } : {}) });
        if (flags.json) { process.stdout.write(`${JSON.stringify(result, null, 2)}\n`); return; }
        process.stdout.write(`${flags.dryRun ? 'would remove' : 'removed'} ${result.removed.length ? `version(s) ${result.removed.join(', ')}` : 'nothing'}; kept ${result.kept.length}\n`);
        return;
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(await listCheckpoints(dir, policy), null, 2)}\n`);
      else process.stdout.write(await listCheckpointsTable(dir, policy));
    });
}
