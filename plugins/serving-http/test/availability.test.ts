import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { startServer, type ModelServer } from '../src/index.js';
import { call } from './support/http.js';
import { configuredContainer, denseModel, exportModel, maxDiff, referencePredict, tempRepository, type Container } from './support/models.js';

const X = [[0.3, -0.1, 0.8, 0.2]];

/**
 * TF Serving's promise with the default `latest: 1` policy: the newest version that LOADS
 * serves. A newer version that fails is passed over, at start-up, after the serving version is
 * deleted, and after a restart; status says which version failed and why, naming no server path.
 */
describe('availability: the newest good version serves through bad versions, deletions and restarts', function () {
  this.timeout(120_000);
  let container: Container;
  let repo: string;
  let server: ModelServer | undefined;
  const models = new Map<number, tf.LayersModel>();

  before(async () => { container = await configuredContainer(); });
  beforeEach(async () => { repo = await tempRepository('availability'); });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(repo, { recursive: true, force: true });
  });

  async function exportVersion(name: string, version: number): Promise<void> {
    models.set(version, models.get(version) ?? denseModel(version));
    await exportModel(container, models.get(version)!, repo, name, { version });
  }
  /** Flips a byte of the version's weights: its digest no longer matches, the load fails (DATA_LOSS). */
  async function damage(name: string, version: number): Promise<void> {
    const dir = path.join(repo, name, String(version));
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'export.json'), 'utf8'));
    const weights = path.join(dir, Object.keys(manifest.files).find((f) => f.endsWith('.bin'))!);
    const bytes = await fs.readFile(weights);
    bytes[0] = bytes[0]! ^ 0xff;
    await fs.writeFile(weights, bytes);
  }
  const states = async (name: string) => ((await call(`${server!.url}/v1/models/${name}`)).body.model_version_status as { version: string; state: string }[])
    .map((s) => `${s.version}:${s.state}`);
  const servedBy = async (name: string) => {
    const r = await call(`${server!.url}/v2/models/${name}/infer`, { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: X.flat() }] });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    const version = Number(r.body.model_version);
    const reference = (await referencePredict(models.get(version)!, { x: X })).probs;
    expect(maxDiff(r.body.outputs[0].data, reference.flat())).to.be.below(1e-5);
    return version;
  };
  const noServerPath = (body: unknown) => {
    const text = JSON.stringify(body);
    expect(text).to.not.include(repo);
    expect(text).to.not.match(/"\/|\s\/(tmp|home|var|private)\//);
  };

  it('at start-up, serves the newest version that loads when the newest fails, and says why in both status APIs', async () => {
    for (const v of [1, 2, 3]) await exportVersion('tiny', v);
    await damage('tiny', 3);
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0 });
    expect(await states('tiny')).to.deep.equal(['3:END', '2:AVAILABLE']);
    expect(await servedBy('tiny')).to.equal(2);

    const status = (await call(`${server.url}/v1/models/tiny`)).body;
    expect(status.model_version_status[0].status.error_code).to.equal('DATA_LOSS');
    expect(status.model_version_status[0].status.error_message).to.match(/tiny\/3.*group1-shard1of1\.bin does not match its sha256/);
    noServerPath(status);

    const ready = await call(`${server.url}/v2/models/tiny/ready`);
    expect(ready.status).to.equal(200);
    expect(ready.body).to.deep.include({ name: 'tiny', ready: true });
    expect(ready.body.versions[0]).to.include({ version: '3', state: 'END', error_code: 'DATA_LOSS' });
    expect(ready.body.versions[0].reason).to.match(/does not match its sha256/);
    expect(ready.body.versions[1]).to.deep.equal({ version: '2', state: 'AVAILABLE' });
    noServerPath(ready.body);
    expect((await call(`${server.url}/v2/health/ready`)).status).to.equal(200);
  });

  it('falls back to the next good version when the serving one is deleted while the newest is bad', async () => {
    for (const v of [1, 2]) await exportVersion('swap', v);
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0 });
    expect(await servedBy('swap')).to.equal(2);
    // A bad version 3 arrives: version 2 keeps serving.
    await exportVersion('swap', 3);
    await damage('swap', 3);
    await server.reload();
    expect(await states('swap')).to.deep.equal(['3:END', '2:AVAILABLE']);
    expect(await servedBy('swap')).to.equal(2);
    // The serving version is deleted: version 1, still on disk and good, takes over.
    await fs.rm(path.join(repo, 'swap', '2'), { recursive: true });
    await server.reload();
    expect(await states('swap')).to.deep.equal(['3:END', '1:AVAILABLE']);
    expect(await servedBy('swap')).to.equal(1);
    // Version 3 repaired (a fresh copy): it serves and version 1 is unloaded.
    await fs.rm(path.join(repo, 'swap', '3'), { recursive: true });
    await exportVersion('swap', 3);
    await server.reload();
    expect(await states('swap')).to.deep.equal(['3:AVAILABLE', '1:END']);
    expect(await servedBy('swap')).to.equal(3);
  });

  it('after a restart, serves the older good version; with none good, answers 503 naming versions and reasons but no path', async () => {
    for (const v of [1, 2]) await exportVersion('restart', v);
    await damage('restart', 2);
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0 });
    expect(await servedBy('restart')).to.equal(1);
    await server.close();
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0 });
    expect(await states('restart')).to.deep.equal(['2:END', '1:AVAILABLE']);
    expect(await servedBy('restart')).to.equal(1);

    await damage('restart', 1);
    await server.close();
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0 });
    const down = await call(`${server.url}/v1/models/restart:predict`, { instances: X });
    expect(down.status).to.equal(503);
    expect(down.body.error).to.match(/no version of model restart is available: version 2 failed to load \(DATA_LOSS\).*version 1 failed to load \(DATA_LOSS\)/);
    noServerPath(down.body);
    const ready = await call(`${server.url}/v2/models/restart/ready`);
    expect(ready.status).to.equal(503);
    expect(ready.body.versions.map((v: { version: string; error_code: string }) => `${v.version}:${v.error_code}`)).to.deep.equal(['2:DATA_LOSS', '1:DATA_LOSS']);
    noServerPath(ready.body);
    expect((await call(`${server.url}/v2/health/ready`)).status).to.equal(503);
  });

  it('keeps exact policies exact: `specific` does not fall back to a version it does not name', async () => {
    for (const v of [1, 2]) await exportVersion('pinned', v);
    await damage('pinned', 2);
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, config: { models: { pinned: { versionPolicy: { specific: [2] } } } } });
    expect(await states('pinned')).to.deep.equal(['2:END']);
    expect((await call(`${server.url}/v1/models/pinned:predict`, { instances: X })).status).to.equal(503);
  });
});
