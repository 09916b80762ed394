// The public API of @modelport/trainer-export; other packages import only from here.
export { TrainerExportCallback, trainerExport } from './export-callback.js';
export { optionsSchema, OPTIONS_SCHEMA_FILE, PACKAGE_NAME, validateTrainerOptions, type TrainerExportInput, type TrainerExportOptions } from './options.js';
export { readBestRecord, updateBestRecord, type BestRecord } from './best-record.js';
export { decideEpoch, type EpochDecision, type ExportTrigger } from './triggers.js';
export { resolveLogs } from './logs.js';
export { checkpointServices, openCheckpointManager, type CheckpointHostOptions } from './checkpoint-host.js';
