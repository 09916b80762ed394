import type { Logger } from '@modelport/core';
import type { CheckpointRecord } from './checkpoint-record.js';
import { writeIndex, type LoadedCheckpoints } from './index-file.js';
import type { HeldLock } from './lock.js';
import { removeVersion } from './remove-version.js';
import { planRetention, type KeepReason, type RetentionPolicy } from './retention.js';

export interface PruneResult {
  /** Checkpoints kept, each with the rules that keep it. */
  readonly kept: readonly (CheckpointRecord & { readonly keptBy: readonly KeepReason[] })[];
  readonly removed: readonly number[];
}

/**
 * Applies a retention policy holding the lock: removes what no rule keeps (never a version in
 * `protect`), then rewrites the index. Removal comes first: a crash in between leaves an index
 * naming removed versions, which the next load drops; the other order could lose nothing either.
 */
export async function pruneHoldingLock(args: {
  readonly modelDir: string;
  readonly model: string;
  readonly loaded: LoadedCheckpoints;
  readonly policy: RetentionPolicy;
  readonly protect?: readonly number[];
  readonly lock: HeldLock;
  readonly dryRun?: boolean;
  readonly logger?: Logger;
}): Promise<PruneResult> {
  const { modelDir, loaded, policy, lock } = args;
  const plan = planRetention(loaded.checkpoints, policy, args.protect ?? []);
  const removed = new Set(plan.remove);
  if (!args.dryRun) {
    for (const version of plan.remove) {
      lock.assertHeld();
      await removeVersion(modelDir, version);
      args.logger?.debug(`checkpoints: removed version ${version} of ${modelDir}`);
    }
    const kept = loaded.checkpoints.filter((c) => !removed.has(c.version));
    await writeIndex(modelDir, { model: args.model, policy, checkpoints: kept, others: loaded.others });
  }
  return {
    kept: loaded.checkpoints.filter((c) => !removed.has(c.version)).map((c) => ({ ...c, keptBy: plan.keep.get(c.version) ?? [] })),
    removed: plan.remove,
  };
}
