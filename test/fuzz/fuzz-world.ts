import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { coreServices, createContainer, initBackend, silentLogger, type ArtifactDescription, type ExportSummary, type ModelSource } from '@modelport/core';
import { Registry } from '@modelport/registry';
import { startServer, type ModelServer } from '@modelport/serving-http';
import { REPO_ROOT } from '../support/paths.js';
import type { ServedModelShape } from './http-requests.js';

type Container = ReturnType<typeof createContainer>;
type DescribeArtifact = (container: Container, file: string) => Promise<ArtifactDescription>;

/** The model every file-format case starts from: small, so that a case takes milliseconds. */
export const SEED_MODEL_DIR = path.join(REPO_ROOT, 'examples', 'tiny-cnn');
/** TensorFlow-written SavedModels (TF1 variables, Keras, TF2 control flow). */
export const SAVED_MODEL_FIXTURES = ['tf1-variables-mlp', 'keras-export-cnn', 'tf2-control-flow', 'tf1-frozen-cnn', 'tf2-module-two-signatures']
  .map((name) => path.join(REPO_ROOT, 'plugins', 'savedmodel', 'test', 'fixtures', name, 'saved_model'));

/**
 * What the cases run against: the container the CLI configures (default preset), the CLI's own
 * describe step, seed files in every format, and a server on an ephemeral port serving the seed model.
 */
export interface FuzzWorld {
  readonly scratch: string;
  readonly container: Container;
  readonly seeds: { readonly modelJson: string; readonly weights: Uint8Array; readonly tflite: Uint8Array; readonly onnx: Uint8Array };
  readonly savedModels: readonly string[];
  readonly server: ModelServer;
  readonly served: ServedModelShape;
  /** `modelport inspect <file>`'s describe step. */
  describe(file: string): Promise<ArtifactDescription>;
  /** `modelport export <source> --to <targets> --out <out>` through the configured pipeline. */
  exportModel(source: ModelSource, out: string, targets: readonly string[]): Promise<ExportSummary>;
  close(): Promise<void>;
}

/** `scratch`: the folder for seeds and cases (made here); a fresh temporary one by default. */
export async function openFuzzWorld(options: { scratch?: string } = {}): Promise<FuzzWorld> {
  const logger = silentLogger;
  await initBackend(logger);
  const container = createContainer({ logger });
  await new Registry({ cwd: REPO_ROOT, container }).configure({ presets: ['default'] });
  const { pipeline } = coreServices(container);
  // The CLI's describe step itself (the cli package exports no API, so it is loaded by path).
  const cliDescribe = path.join(REPO_ROOT, 'cli', 'dist', 'src', 'commands', 'describe-artifact.js');
  const { describeArtifact } = await import(pathToFileURL(cliDescribe).href) as { describeArtifact: DescribeArtifact };

  const scratch = options.scratch ?? await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-fuzz-'));
  await fs.mkdir(scratch, { recursive: true });
  const exportModel = (source: ModelSource, out: string, targets: readonly string[]) =>
    pipeline.run({ source, options: { targets: [...targets], out, validate: false } });

  // Seed .tflite and .onnx files: the seed model exported by the real exporters.
  const seedOut = path.join(scratch, 'seed');
  const seed = await exportModel({ format: 'tfjs', path: path.join(SEED_MODEL_DIR, 'model.json'), name: 'tiny' }, seedOut, ['tfjs', 'tflite', 'onnx']);
  const artifactFile = (target: string) => path.join(seed.dir, seed.artifacts.find((a) => a.target === target)!.path);
  const server = await startServer({ repository: seedOut, port: 0, host: '127.0.0.1', container, pollSeconds: 0 } as Parameters<typeof startServer>[0]);

  return {
    scratch, container, server,
    seeds: {
      modelJson: await fs.readFile(path.join(SEED_MODEL_DIR, 'model.json'), 'utf8'),
      weights: new Uint8Array(await fs.readFile(path.join(SEED_MODEL_DIR, 'weights.bin'))),
      tflite: new Uint8Array(await fs.readFile(artifactFile('tflite'))),
      onnx: new Uint8Array(await fs.readFile(artifactFile('onnx'))),
    },
    savedModels: SAVED_MODEL_FIXTURES,
    served: { name: 'tiny', input: 'image', rowShape: [32, 32, 3] },
    describe: (file) => describeArtifact(container, file),
    exportModel,
    async close() {
      await server.close();
      await fs.rm(scratch, { recursive: true, force: true });
    },
  };
}
