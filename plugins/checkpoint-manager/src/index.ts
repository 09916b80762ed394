// The public API of @modelport/checkpoint-manager; other packages import only from here.
export { CheckpointManager, type Checkpoint, type CheckpointSource, type SaveOptions } from './manager.js';
export { optionsSchema, OPTIONS_SCHEMA_FILE, validateManagerOptions, type CheckpointManagerInput, type CheckpointManagerOptions, type PassedExportOptions } from './options.js';
export { checkpointsPlugin, GRAPH_SOURCE, LAYERS_TARGET, PLUGIN_NAME, type CheckpointsPluginOptions } from './plugin.js';
export { CHECKPOINT_METADATA_KEY, readCheckpointRecord, type CheckpointRecord } from './checkpoint-record.js';
export { CHECKPOINT_INDEX, loadCheckpoints, readIndex, type CheckpointIndex, type LoadedCheckpoints } from './index-file.js';
export { planRetention, bestVersions, type KeepBest, type KeepReason, type RetentionPlan, type RetentionPolicy, type RetainedCheckpoint } from './retention.js';
export { compareMetric, flattenMetrics, isImprovement, metricValue, sanitizeMetrics, type MetricMode, type Metrics } from './metrics.js';
export { acquireLock, withLock, LOCK_NAME, type HeldLock, type LockOptions } from './lock.js';
export { removeLeftovers } from './leftovers.js';
export { restoreVersion, type RestoreAs, type RestoredModel } from './restore.js';
export { readExportManifest, verifyVersion, type ExportManifest, type VersionCheck } from './verify.js';
export { watchVersions, type WatchedVersion, type WatchOptions } from './watch.js';
export { nextVersion, type Versioning } from './versioning.js';
export { listCheckpoints, listCheckpointsTable, pruneCheckpoints, type CheckpointRow } from './cli-table.js';
export type { PruneResult } from './prune.js';
export type { CheckpointServices, Container } from './session.js';
export { checkpointsPlugin as default } from './plugin.js';
