import { expect } from 'chai';
import { ConfigError } from '@modelport/core';
import { readConfig, Registry } from '@modelport/registry';
import { FixtureProject } from './fixtures.js';

function noProviderError(registry: Registry, target: string): ConfigError {
  try {
    registry.host.assertSingleProvider('writeArtifact', target, 'target');
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error('expected assertSingleProvider to throw');
}

describe('no plugin provides a key', () => {
  let project: FixtureProject;
  before(async () => {
    project = await FixtureProject.create();
    await project.addExporter('@acme/exporter-x', 'x');
    await project.addExporter('@acme/exporter-old', 'old', { core: '^9.0.0' });
  });
  after(() => project.remove());

  it('names the installed package that provides it and how to enable it', async () => {
    const registry = new Registry({ cwd: project.dir });
    await registry.configure({ presets: [] });
    expect(noProviderError(registry, 'x').message).to.equal(
      `writeArtifact: no plugin provides target "x"; @acme/exporter-x provides it (installed in ${project.packageDir('@acme/exporter-x')} (project)) `
      + 'but is not selected; enable it with `--plugin @acme/exporter-x` or add it to "plugins" in modelport.config.json');
  });

  it('says when the config turns the provider off', async () => {
    const file = await project.writeConfig({ presets: [], plugins: [['@acme/exporter-x', false]] });
    const registry = new Registry({ cwd: project.dir });
    await registry.configure(await readConfig(file));
    expect(noProviderError(registry, 'x').message).to.contain('@acme/exporter-x provides it').and.contain('but modelport.config.json turns it off with false; remove that entry to enable it');
  });

  it('says why an installed provider cannot be used', async () => {
    const registry = new Registry({ cwd: project.dir });
    await registry.configure({ presets: [] });
    expect(noProviderError(registry, 'old').message).to.contain('@acme/exporter-old provides it but cannot be used (plugin @acme/exporter-old needs core ^9.0.0');
  });

  it('keeps the general advice when nothing installed provides it', async () => {
    const registry = new Registry({ cwd: project.dir });
    await registry.configure({ presets: [] });
    expect(noProviderError(registry, 'nothing').message).to.equal('writeArtifact: no plugin provides target "nothing"; install and enable one, see `modelport plugins`');
  });
});
