import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { startServer, type ModelServer } from '../src/index.js';
import { call, metricValue, parseMetrics, waitFor } from './support/http.js';
import { configuredContainer, denseModel, exportModel, maxDiff, referencePredict, tempRepository, type Container } from './support/models.js';

const X = [[0.3, -0.1, 0.8, 0.2]];

describe('model repository: version policy, labels, hot reload, failures, warm-up', function () {
  this.timeout(120_000);
  let container: Container;
  let repo: string;
  let configDir: string;
  let server: ModelServer | undefined;
  const models = new Map<number, tf.LayersModel>();

  before(async () => {
    container = await configuredContainer();
    configDir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-serving-config-'));
  });
  beforeEach(async () => { repo = await tempRepository('repo'); });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await fs.rm(repo, { recursive: true, force: true });
  });
  after(() => fs.rm(configDir, { recursive: true, force: true }));

  async function exportVersions(name: string, count: number): Promise<void> {
    for (let v = 1; v <= count; v++) {
      models.set(v, models.get(v) ?? denseModel(v));
      await exportModel(container, models.get(v)!, repo, name, { version: v });
    }
  }
  const states = async (url: string) => ((await call(url)).body.model_version_status as { version: string; state: string }[])
    .map((s) => `${s.version}:${s.state}`);
  const predictDiff = async (url: string, version: number) => {
    const r = await call(url, { instances: X });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return maxDiff(r.body.predictions, (await referencePredict(models.get(version)!, { x: X })).probs);
  };

  it('serves the latest version by default, and what latest N, all and specific policies ask for', async () => {
    await exportVersions('latest1', 3);
    await exportVersions('latest2', 3);
    await exportVersions('every', 2);
    await exportVersions('pinned', 3);
    const config = { models: { latest2: { versionPolicy: { latest: 2 } }, every: { versionPolicy: { all: true } }, pinned: { versionPolicy: { specific: [1, 3] } } } };
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, config });
    expect(await states(`${server.url}/v1/models/latest1`)).to.deep.equal(['3:AVAILABLE']);
    expect(await states(`${server.url}/v1/models/latest2`)).to.deep.equal(['3:AVAILABLE', '2:AVAILABLE']);
    expect(await states(`${server.url}/v1/models/every`)).to.deep.equal(['2:AVAILABLE', '1:AVAILABLE']);
    expect(await states(`${server.url}/v1/models/pinned`)).to.deep.equal(['3:AVAILABLE', '1:AVAILABLE']);
    expect(await predictDiff(`${server.url}/v1/models/latest2:predict`, 3)).to.be.below(1e-5);
    expect(await predictDiff(`${server.url}/v1/models/latest2/versions/2:predict`, 2)).to.be.below(1e-5);
    expect((await call(`${server.url}/v2/models/pinned`)).body.versions).to.deep.equal(['3', '1']);
  });

  it('routes labels from the config file to their versions, and follows edits of the file', async () => {
    await exportVersions('ranker', 2);
    const configFile = path.join(configDir, 'models.json');
    await fs.writeFile(configFile, JSON.stringify({ models: { ranker: { versionPolicy: { all: true }, labels: { stable: 1, canary: 2 } } } }));
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, configFile });
    expect(await states(`${server.url}/v1/models/ranker/labels/stable`)).to.deep.equal(['1:AVAILABLE']);
    expect(await states(`${server.url}/v1/models/ranker/labels/canary`)).to.deep.equal(['2:AVAILABLE']);
    expect(await predictDiff(`${server.url}/v1/models/ranker/labels/stable:predict`, 1)).to.be.below(1e-5);
    expect(await predictDiff(`${server.url}/v1/models/ranker/labels/canary:predict`, 2)).to.be.below(1e-5);
    expect((await call(`${server.url}/v1/models/ranker/labels/canary/metadata`)).body.model_spec.version).to.equal('2');

    await fs.writeFile(configFile, JSON.stringify({ models: { ranker: { versionPolicy: { all: true }, labels: { stable: 2 } } } }));
    await server.reload();
    expect(await states(`${server.url}/v1/models/ranker/labels/stable`)).to.deep.equal(['2:AVAILABLE']);
    expect((await call(`${server.url}/v1/models/ranker/labels/canary`)).status).to.equal(404);

    await fs.writeFile(configFile, '{"models": {"ranker": {"versionPolicy": {"latest": 0}}}}');
    await server.reload(); // an invalid edit keeps the last good config
    expect(await states(`${server.url}/v1/models/ranker/labels/stable`)).to.deep.equal(['2:AVAILABLE']);
  });

  it('refuses an invalid config at start, naming the key', async () => {
    const bad = { models: { m: { versionPolicy: { latest: 1 }, labels: { stable: 'one' } } } };
    let error: Error | undefined;
    try { server = await startServer({ repository: repo, port: 0, container, config: bad }); } catch (e) { error = e as Error; }
    expect(error?.message).to.match(/model config.*models\.m\.labels\.stable.*integer/);
    let error2: Error | undefined;
    try { server = await startServer({ repository: repo, port: 0, container, config: { models: { m: { adapter: { name: 'nope' } } } } }); } catch (e) { error2 = e as Error; }
    expect(error2?.message).to.match(/adapter "nope", which is not applied/);
  });

  it('swaps in a new version while clients keep getting answers: zero failures, status shows the swap', async () => {
    await exportVersions('live', 1);
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0.1, drainSeconds: 5 });
    const url = `${server.url}/v2/models/live/infer`;
    const body = { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: X[0] }] };
    const failures: unknown[] = [];
    const served = new Set<string>();
    const seen = new Set<string>();
    let stop = false;
    const client = async () => {
      for (let i = 0; i < 5000 && !stop; i++) {
        const r = await call(url, body);
        if (r.status === 200) served.add(r.body.model_version); else failures.push(r.body);
      }
    };
    const watcher = async () => {
      for (let i = 0; i < 5000 && !stop; i++) {
        (await states(`${server!.url}/v1/models/live`)).forEach((s) => seen.add(s));
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const running = [client(), client(), watcher()];
    await new Promise((r) => setTimeout(r, 200));
    models.set(2, models.get(2) ?? denseModel(2));
    await exportModel(container, models.get(2)!, repo, 'live', { version: 2 });
    await waitFor('version 2 to replace version 1', async () => (await states(`${server!.url}/v1/models/live`)).join() === '2:AVAILABLE,1:END');
    await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await Promise.all(running);
    expect(failures).to.deep.equal([]);
    expect([...served].sort()).to.deep.equal(['1', '2']);
    expect(seen).to.include('1:AVAILABLE').and.to.include('2:AVAILABLE').and.to.include('1:END');
    expect(await predictDiff(`${server.url}/v1/models/live:predict`, 2)).to.be.below(1e-5);
  });

  it('reports a damaged version in status and keeps serving the previous one, then loads it once repaired', async () => {
    await exportVersions('sturdy', 1);
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0 });
    // Damage the weights in a staging copy, then move it in whole, as a deploy would.
    const staging = await tempRepository('staging');
    models.set(2, models.get(2) ?? denseModel(2));
    const summary = await exportModel(container, models.get(2)!, staging, 'sturdy', { version: 2 });
    const weights = path.join(summary.dir, summary.artifacts[0]!.files.find((f) => f.endsWith('.bin'))!);
    const good = await fs.readFile(weights);
    const bad = Buffer.from(good);
    bad[0] = bad[0]! ^ 0xff;
    await fs.writeFile(weights, bad);
    await fs.rename(summary.dir, path.join(repo, 'sturdy', '2'));
    await fs.rm(staging, { recursive: true, force: true });
    await server.reload();

    const status = (await call(`${server.url}/v1/models/sturdy`)).body.model_version_status;
    expect(status[0]).to.include({ version: '2', state: 'END' });
    expect(status[0].status.error_code).to.equal('DATA_LOSS');
    expect(status[0].status.error_message).to.match(/group1-shard1of1\.bin does not match its sha256/);
    expect(status[1]).to.deep.equal({ version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } });
    expect(await predictDiff(`${server.url}/v1/models/sturdy:predict`, 1)).to.be.below(1e-5);
    expect((await call(`${server.url}/v1/models/sturdy/versions/2:predict`, { instances: X })).status).to.equal(404);
    expect((await call(`${server.url}/v2/health/ready`)).status).to.equal(200);
    const metrics = parseMetrics((await call(`${server.url}/monitoring/prometheus/metrics`)).body);
    expect(metricValue(metrics, 'modelport_serving_load_failures_total', { model: 'sturdy', version: '2', code: 'DATA_LOSS' })).to.equal(1);

    await server.reload(); // unchanged files are not retried
    expect(metricValue(parseMetrics((await call(`${server.url}/metrics`)).body), 'modelport_serving_load_failures_total')).to.equal(1);
    await fs.writeFile(path.join(repo, 'sturdy', '2', path.relative(summary.dir, weights)), good);
    await server.reload();
    expect(await states(`${server.url}/v1/models/sturdy`)).to.deep.equal(['2:AVAILABLE', '1:END']);
  });

  it('reports versions no runtime serves, ignores folders without a complete export.json', async () => {
    await exportVersions('odd', 1);
    const v2 = path.join(repo, 'odd', '2');
    await fs.mkdir(v2);
    await fs.writeFile(path.join(v2, 'export.json'), JSON.stringify({ version: 2, signatures: {}, targets: [{ target: 'x', format: 'no-such-format', plugin: 'p', path: 'm.bin', files: [] }] }));
    await fs.mkdir(path.join(repo, 'odd', '3')); // being copied: no export.json yet
    await fs.mkdir(path.join(repo, 'odd', '4'));
    await fs.writeFile(path.join(repo, 'odd', '4', 'export.json'), '{"version": 4, "targ');
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, config: { models: { odd: { versionPolicy: { all: true } } } } });
    const status = (await call(`${server.url}/v1/models/odd`)).body.model_version_status;
    expect(status.map((s: { version: string }) => s.version)).to.deep.equal(['2', '1']);
    expect(status[0].status.error_code).to.equal('UNIMPLEMENTED');
    expect(status[0].status.error_message).to.match(/no applied runtime serves.*no-such-format/);
  });

  it('replays warmup.json before AVAILABLE, and fails a version whose sample does not fit its signature', async () => {
    await exportVersions('warm', 2);
    await fs.writeFile(path.join(repo, 'warm', '1', 'warmup.json'), JSON.stringify({ inputs: { x: { shape: [2, 4], dtype: 'float32', data: [1, 2, 3, 4, 5, 6, 7, 8] } } }));
    await fs.writeFile(path.join(repo, 'warm', '2', 'warmup.json'), JSON.stringify({ inputs: { image: { shape: [1, 4], data: [1, 2, 3, 4] } } }));
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, config: { models: { warm: { versionPolicy: { all: true } } } } });
    const status = (await call(`${server.url}/v1/models/warm`)).body.model_version_status;
    expect(status[1]).to.deep.include({ version: '1', state: 'AVAILABLE' });
    expect(status[0]).to.deep.include({ version: '2', state: 'END' });
    expect(status[0].status.error_code).to.equal('FAILED_PRECONDITION');
    expect(status[0].status.error_message).to.match(/warm-up \(warmup\.json sample\).*"image" is not an input.*input "x" is missing/);
  });
});
