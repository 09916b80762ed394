import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  definePlugin, PluginHostId, readPluginPackage, validateOptions, writeFileAtomic, type ArtifactVariant, type ExportContext, type PluginHost, type PluginPackage,
} from '@modelport/core';
import { packageAssets } from './assets.js';
import { cardFacts } from './card-facts.js';
import type { ModelCard } from './model-card.js';
import { variantsOf, type ExporterTfhubOptions, type VariantName } from './options.js';
import { filesUnder, packFolder } from './tarball.js';
import { readTfjsSignatureFiles } from './tfjs-signature-files.js';
import { withTokenizationSignature } from './tokenization-signature.js';
import { assertVariantWriters, writeVariant, type VariantOverrides } from './write-variant.js';
import { writeCards } from './write-cards.js';

const { name: PLUGIN_NAME, version: VERSION, optionsSchema } = readPluginPackage(import.meta.url) as Required<PluginPackage>;
export { PLUGIN_NAME, optionsSchema };

/** One format inside the package, as the record's details list it (core's ArtifactVariant, paths relative to the version folder), with its archive. */
export interface TfhubVariantRecord extends ArtifactVariant {
  readonly variant: VariantName;
  readonly archive: string;
  readonly archiveBytes: number;
}

/**
 * Writes a package for TF Hub and Kaggle Models: each variant (SavedModel with variables, tfjs graph
 * model, optional .tflite) written by its own target's exporter through the writeArtifact hook into
 * <directory>/<variant>/, each packed as <variant>.tar.gz with its files at the archive root, labels
 * and vocabulary as assets, and the model card (README.md, plus the tfhub.dev docs tree).
 */
export const exporterTfhub = definePlugin<ExporterTfhubOptions>({
  name: PLUGIN_NAME,
  version: VERSION,
  optionsSchema,
  apply(hooks, options, container) {
    const host = container.get<PluginHost>(PluginHostId);
    const optionsOf = (ctx: ExportContext) => validateOptions<ExporterTfhubOptions>(optionsSchema, { ...options, ...ctx.options.targetOptions?.tfhub }, 'targetOptions.tfhub');
    // A package that cannot be written is refused before the model is loaded and transformed.
    hooks.beforeExport.tapPromise(PLUGIN_NAME, async (ctx) => {
      if (ctx.options.targets.includes('tfhub')) assertVariantWriters(host, variantsOf(optionsOf(ctx)));
    });
    hooks.writeArtifact.for('tfhub').tapPromise(PLUGIN_NAME, async (graph, ctx) => {
      const opts = optionsOf(ctx.export);
      const variants = variantsOf(opts);
      assertVariantWriters(host, variants);
      const assets = await packageAssets(graph, opts);
      const root = path.join(ctx.dir, opts.directory);
      await fs.mkdir(root, { recursive: true });
      // The SavedModel exporter copies its assets from files: they are staged outside the version folder.
      const staging = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-tfhub-'));
      try {
        const assetPaths: Record<string, string> = {};
        for (const [name, text] of Object.entries(assets.files)) {
          assetPaths[name] = path.join(staging, name);
          await fs.writeFile(assetPaths[name]!, text);
        }
        const tokenization = assets.vocab ? { tokenization: { vocab_file: 'vocab.txt', do_lower_case: assets.doLowerCase ?? null } } : undefined;
        const overridesOf: Record<VariantName, VariantOverrides> = {
          savedmodel: { targetOptions: { variables: true, directory: '.', assets: assetPaths }, ...(tokenization ? { metadata: tokenization } : {}) },
          tfjs: { targetOptions: { directory: '.' }, ...(tokenization ? { metadata: tokenization } : {}) },
          tflite: { targetOptions: { fileName: 'model.tflite' }, ...(tokenization ? { metadata: tokenization } : {}) },
        };
        const written: TfhubVariantRecord[] = [];
        let tfjsFiles: ModelCard['tfjsFiles'] = {};
        for (const variant of variants) {
          const folder = path.join(root, variant);
          await fs.mkdir(folder, { recursive: true });
          // The SavedModel answers do_lower_case through a signature; tfjs and tflite through their metadata.
          const variantGraph = variant === 'savedmodel' && assets.doLowerCase !== undefined ? withTokenizationSignature(graph, assets.doLowerCase) : graph;
          const { record } = await writeVariant(hooks, host, variantGraph, ctx.export, variant, folder, overridesOf[variant]);
          // The tfjs folder is served as it is: the assets sit beside model.json.
          if (variant === 'tfjs') {
            for (const [name, text] of Object.entries(assets.files)) await writeFileAtomic(path.join(folder, name), text);
            tfjsFiles = await readTfjsSignatureFiles(folder, graph.signatures, record.details);
          }
          const files = await filesUnder(folder);
          const archive = `${variant}.tar.gz`;
          const archiveBytes = await packFolder(folder, files, path.join(root, archive));
          const prefix = path.posix.join(opts.directory, variant);
          written.push({
            variant, format: record.format, plugin: record.plugin, path: path.posix.join(prefix, record.path),
            files: files.map((f) => path.posix.join(prefix, f)), archive: path.posix.join(opts.directory, archive), archiveBytes,
          });
        }
        const card = cardFacts(opts, ctx.export.request, graph, assets, variants, tfjsFiles);
        const cards = await writeCards(root, card);
        if (!card.task) ctx.export.notes.push('tfhub: the card has no task (tfhub.dev asks for one): set targetOptions.tfhub.task, e.g. image-feature-vector');
        if (!opts.assetUrl) ctx.export.notes.push('tfhub: asset-path names the archive alone; set targetOptions.tfhub.assetUrl to where it will be hosted');
        const files = [
          ...cards.map((c) => path.posix.join(opts.directory, c)),
          ...written.flatMap((w) => [...w.files, w.archive]),
        ];
        return {
          target: 'tfhub', format: 'tfhub', plugin: PLUGIN_NAME,
          path: path.posix.join(opts.directory, 'README.md'),
          files,
          details: {
            handle: `${card.publisher}/${card.model}/${card.version}`,
            variants: written,
            archiveBytes: Object.fromEntries(written.map((w) => [w.variant, w.archiveBytes])),
            assets: Object.keys(assets.files),
          },
        };
      } finally {
        await fs.rm(staging, { recursive: true, force: true });
      }
    });
  },
});

export default exporterTfhub;
export { renderModelCard, renderVariantEntry, handleOf, type ModelCard } from './model-card.js';
export { packFolder } from './tarball.js';
export { moduleLabels } from './assets.js';
export type { ExporterTfhubOptions, VariantName } from './options.js';
