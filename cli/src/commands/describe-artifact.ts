import {
  ARTIFACT_DESCRIBERS, contributionsTo, ModelLoadError, ModelportError, PluginError, type ArtifactDescription, type createContainer,
} from '@modelport/core';

type Container = ReturnType<typeof createContainer>;

/**
 * The description of `file` by the first contributed describer that matches it. No match is one
 * error naming the file and every format known, with the plugin that describes it.
 */
export async function describeArtifact(container: Container, file: string): Promise<ArtifactDescription> {
  const describers = contributionsTo(container, ARTIFACT_DESCRIBERS);
  for (const { plugin, value: describer } of describers) {
    if (!(await describer.matches(file))) continue;
    try {
      return await describer.describe(file);
    } catch (e) {
      // A file the format refuses is the file's fault (the error names it); anything else is the plugin's.
      throw e instanceof ModelportError ? e : new PluginError(plugin, `${ARTIFACT_DESCRIBERS.name}[${describer.format}]`, e);
    }
  }
  const known = describers.map(({ plugin, value }) => `${value.format}: ${value.description} (${plugin})`);
  throw new ModelLoadError(
    `no plugin describes this file; ${known.length ? `known formats: ${known.join('; ')}` : 'no plugin contributes to core.artifact-describers'}, and export.json (an export's record). `
    + 'Add a plugin that describes this format with --plugin or in modelport.config.json',
    { file },
  );
}
