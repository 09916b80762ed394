// The public API of @modelport/testing: what a plugin's tests need, and only it.
export { runPipeline, type PipelineRun, type PipelineRunOptions, type PluginEntry } from './run-pipeline.js';
export { createTempRepository, withTempRepository, type TempRepository } from './temp-repository.js';
export { findModelportBin, runModelport, type CliResult, type CliRunOptions } from './cli-runner.js';
export { ArtifactMismatchError, expectArtifactMatchesSource } from './artifact-check.js';
export { tinyDenseGraph } from './graphs.js';
export { expectPredictorMatchesSource, randomInputs, runSource, serveArtifact, type ServeArtifactOptions } from './serve-artifact.js';
export { expectSignaturesMatchGraph, photoCases, randomPixels, type SignatureCase } from './signature-check.js';
export { solidJpeg, solidPng } from './images.js';
export { classesModule, moduleSignaturePlugins, pixelsModule, smallImageClassifier } from './module-signatures.js';
