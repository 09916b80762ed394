import path from 'node:path';
import type { Command } from 'commander';
import { checkOutputDir, defaultModelName, EXPORT_OPTIONS_SCHEMA, parseInputShapeFlag, parseInputValueFlag, relativeDiff, type ExportOptions, type ExportSummary } from '@modelport/core';
import { checkOptions, type OptionSource } from '@modelport/registry';
import { exportProgress } from '../output/progress.js';
import { formatBytes, formatSeconds, formatTable } from '../output/table.js';
import { openSession, type SessionFlags } from '../session.js';
import { announceModelDir } from '../supervisor-messages.js';
import { addQuantizeFlags, quantizeOptions, type QuantizeFlags } from './quantize-flags.js';
import { addSignatureFlags, signatureOptions, type SignatureFlags } from './signature-flags.js';
import { sourceOf } from './source.js';
import { parseVersionFlag } from './version-flag.js';
import { addTargetFlags, targetOptionsFromFlags, type TargetFlags } from './target-flags.js';

interface ExportFlags extends SessionFlags, QuantizeFlags, SignatureFlags, TargetFlags {
  to: string;
  out: string;
  name?: string;
  version?: string;
  validate: boolean;
  tolerance?: string;
  inputs?: string;
  inputShape?: [string, number[]][];
  inputValue?: [string, number | number[]][];
  json?: boolean;
  progress: boolean;
}

function collectShape(value: string, previous: [string, number[]][] = []): [string, number[]][] {
  return [...previous, parseInputShapeFlag(value)];
}

function collectValue(value: string, previous: [string, number | number[]][] = []): [string, number | number[]][] {
  return [...previous, parseInputValueFlag(value)];
}

/** Where each input value was set: the flag wins over the config file. */
function inputValueOrigins(configValues: Readonly<Record<string, unknown>> | undefined, configFile: string | undefined, flagged: readonly [string, unknown][] | undefined): Record<string, string> {
  const origins: Record<string, string> = {};
  for (const name of Object.keys(configValues ?? {})) origins[`inputValues.${name}`] = `export.inputValues in ${configFile ?? 'the config'}`;
  for (const [name] of flagged ?? []) origins[`inputValues.${name}`] = '--input-value on the command line';
  return origins;
}

/** The flag that sets each export option, where it is not --<key in kebab case>. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = Object.freeze({
  targets: '--to', modelName: '--name', validationInputs: '--inputs', inputShapes: '--input-shape', inputValues: '--input-value', targetOptions: '--shard-size, --savedmodel-variables or --target-option', validate: '--no-validate',
  signatures: '--signature',
});

function flagSources(fromFlags: Partial<ExportOptions>): Record<string, OptionSource> {
  return Object.fromEntries(Object.keys(fromFlags).map((key) => [key, { kind: 'flag', flag: FLAG_OF_OPTION[key] ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` }]));
}

/** The summary table printed after an export: one row per artifact. */
export function summaryTable(summary: ExportSummary): string {
  const rows = summary.artifacts.map((a) => {
    const v = a.validation;
    const delta = v ? Math.max(0, ...v.outputs.map((o) => o.maxAbsDiff)) : undefined;
    return [
      a.target, a.path, formatBytes(a.bytes),
      delta === undefined ? '—' : delta.toExponential(2),
      v ? Math.max(0, ...v.outputs.map(relativeDiff)).toExponential(2) : '—',
      v ? (v.ok ? 'ok' : 'FAILED') : 'not validated',
      formatSeconds(a.seconds),
    ];
  });
  return formatTable(['target', 'artifact', 'size', 'max |Δ|', 'rel |Δ|', 'validation', 'time'], rows);
}

export function registerExport(program: Command): void {
  addTargetFlags(addSignatureFlags(addQuantizeFlags(program.command('export'))))
    .description('export a model (tfjs model.json or SavedModel) to one or more targets, validated in their runtimes')
    .argument('<model>', 'path to a tfjs model.json (graph model or layers model), or a SavedModel folder (or its saved_model.pb)')
    .option('--to <targets>', 'comma-separated targets: tfjs, onnx, tflite, savedmodel, tfhub', 'tfjs')
    .option('--out <dir>', 'model repository: receives <dir>/<model>/<version>/', 'models')
    .option('--name <name>', 'model name in the repository (default: from the file name)')
    .option('--version <n>', 'version number to write (default: next free)')
    .option('--no-validate', 'skip running the artifacts against the source')
    .option('--tolerance <t>', 'largest max|Δ| allowed, relative to max|ref| of each output')
    .option('--inputs <file>', 'validation inputs as JSON { name: { shape, data } } instead of random ones')
    .option('--input-shape <shape>', 'pin an input\'s dimensions: NAME=1,224,224,3, or 1,224,224,3 for the only input; -1 keeps one dynamic (repeatable)', collectShape)
    .option('--input-value <value>', 'freeze an input to a value, no longer fed: NAME=0.25, or NAME=1,2,3 for a vector (repeatable)', collectValue)
    .option('--json', 'print the export summary as JSON')
    .option('--no-progress', 'no progress bar')
    .action(async (model: string, flags: ExportFlags, command: Command) => {
      // A flag's own default (--to tfjs) must not beat a preset's or the config's export defaults.
      const given = (key: string) => command.getOptionValueSource(key) === 'cli';
      // Refused before the plugins load (seconds): a bad --version or --out is known without them.
      const version = flags.version !== undefined ? parseVersionFlag(flags.version) : undefined;
      if (given('out')) await checkOutputDir(flags.out);
      const session = await openSession({ ...command.optsWithGlobals(), ...flags });
      const fromFlags: Partial<ExportOptions> = {
        ...(given('to') ? { targets: flags.to.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
        ...(given('out') ? { out: flags.out } : {}),
        ...(given('validate') ? { validate: flags.validate } : {}),
        ...(flags.name ? { modelName: flags.name } : {}),
        ...(version !== undefined ? { version } : {}),
        ...quantizeOptions(flags),
        ...(flags.tolerance ? { tolerance: Number(flags.tolerance) } : {}),
        ...(flags.inputs ? { validationInputs: flags.inputs } : {}),
        ...(flags.inputShape ? { inputShapes: { ...session.exportDefaults.inputShapes, ...Object.fromEntries(flags.inputShape) } } : {}),
        ...(flags.inputValue ? { inputValues: { ...session.exportDefaults.inputValues, ...Object.fromEntries(flags.inputValue) } } : {}),
      };
      const targetOptions = targetOptionsFromFlags(flags, session.exportDefaults.targetOptions);
      if (targetOptions) Object.assign(fromFlags, { targetOptions });
      // Read before anything runs: a bad --signature or --module-options writes nothing.
      const signatures = await signatureOptions(flags, session.exportDefaults, session.exportSources);
      Object.assign(fromFlags, signatures.options);
      const options: ExportOptions = {
        targets: ['tfjs'], out: 'models', validate: true, ...session.exportDefaults, ...fromFlags,
        ...(signatures.moduleOptionsFile ? { moduleOptionsFile: signatures.moduleOptionsFile } : {}),
      };
      // Checked here, where it is known who set each value: a preset, the config or a flag.
      checkOptions(EXPORT_OPTIONS_SCHEMA, options, { what: 'export options', sources: { ...session.exportSources, ...flagSources(fromFlags) } });
      const progress = exportProgress(options.targets.length, flags.progress && !flags.json);
      const origins = {
        ...inputValueOrigins(session.exportDefaults.inputValues, session.config.file, flags.inputValue),
        ...(signatures.moduleOptionsOrigin ? { moduleOptions: signatures.moduleOptionsOrigin } : {}),
      };
      const request = { source: sourceOf(model), options, origins };
      await announceModelDir(path.resolve(options.out, defaultModelName(request)));
      let summary: ExportSummary;
      try {
        summary = await session.pipeline.run(request, progress.listener);
      } finally {
        progress.stop();
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ model: summary.model, version: summary.version, dir: summary.dir, artifacts: summary.artifacts, notes: summary.notes, seconds: summary.seconds }, null, 2)}\n`);
        return;
      }
      process.stdout.write(`exported ${summary.model} version ${summary.version} → ${summary.dir}\n\n${summaryTable(summary)}\n`);
      for (const note of summary.notes) process.stdout.write(`  · ${note}\n`);
    });
}
