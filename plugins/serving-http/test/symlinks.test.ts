import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@modelport/core';
import { startServer, type ModelServer } from '../src/index.js';
import { call } from './support/http.js';
import { configuredContainer, denseModel, exportModel, maxDiff, referencePredict, tempRepository, type Container } from './support/models.js';

const X = [[0.3, -0.1, 0.8, 0.2]];

/** A logger that keeps its lines, to read what the server says about skipped folders. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (m: string) => { lines.push(m); };
  return { lines, debug: keep, info: keep, warn: keep, error: keep } as unknown as Logger & { lines: string[] };
}

/**
 * Model and version folders that are symbolic links: served when they resolve inside the
 * repository, skipped with a log line saying why when they leave it or dangle.
 */
describe('symlinked model and version folders', function () {
  this.timeout(60_000);
  let container: Container;
  let repo: string;
  let outside: string;
  let server: ModelServer | undefined;

  before(async () => { container = await configuredContainer(); });
  beforeEach(async () => {
    repo = await tempRepository('links');
    outside = await tempRepository('links-outside');
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await Promise.all([repo, outside].map((d) => fs.rm(d, { recursive: true, force: true })));
  });

  const predictDiff = async (name: string, model: ReturnType<typeof denseModel>) => {
    const r = await call(`${server!.url}/v1/models/${name}:predict`, { instances: X });
    expect(r.status, JSON.stringify(r.body)).to.equal(200);
    return maxDiff(r.body.predictions, (await referencePredict(model, { x: X })).probs);
  };

  it('serves a linked model folder and a linked version folder that resolve inside the repository', async () => {
    const v1 = denseModel(1);
    const v2 = denseModel(2);
    await exportModel(container, v1, repo, 'real', { version: 1 });
    await exportModel(container, v2, path.join(repo, '.staging'), 'real', { version: 2 });
    await fs.symlink(path.join(repo, 'real'), path.join(repo, 'alias'));
    await fs.symlink(path.join(repo, '.staging', 'real', '2'), path.join(repo, 'real', '2')); // an absolute link, inside
    const logger = recordingLogger();
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, logger });
    expect(await predictDiff('real', v2)).to.be.below(1e-5);
    expect(await predictDiff('alias', v2)).to.be.below(1e-5);
    expect((await call(`${server.url}/v1/models/alias`)).body.model_version_status[0]).to.include({ version: '2', state: 'AVAILABLE' });
    expect(logger.lines.filter((l) => /not served/.test(l))).to.deep.equal([]);
  });

  it('skips links that leave the repository or dangle, says why in the log once, and is not ready for a model with none', async () => {
    await exportModel(container, denseModel(1), outside, 'elsewhere', { version: 1 });
    await exportModel(container, denseModel(3), repo, 'mixed', { version: 1 });
    await fs.symlink(path.join(outside, 'elsewhere'), path.join(repo, 'elsewhere')); // a model folder outside
    await fs.symlink(path.join(outside, 'elsewhere', '1'), path.join(repo, 'mixed', '2')); // a newer version outside
    await fs.symlink(path.join(repo, 'gone'), path.join(repo, 'mixed', '3')); // dangling
    const logger = recordingLogger();
    server = await startServer({ repository: repo, port: 0, container, pollSeconds: 0, logger, config: { models: { elsewhere: {}, mixed: {} } } });
    const skipped = logger.lines.filter((l) => /not served/.test(l));
    expect(skipped.find((l) => l.includes(`${path.join(repo, 'elsewhere')}: not served: it is a link that resolves outside the repository`))).to.be.a('string');
    expect(skipped.find((l) => l.includes(`${path.join(repo, 'mixed', '2')}: not served: it is a link that resolves outside the repository`))).to.be.a('string');
    expect(skipped.find((l) => l.includes(`${path.join(repo, 'mixed', '3')}: not served: it is a link to nothing`))).to.be.a('string');

    expect((await call(`${server.url}/v1/models/mixed`)).body.model_version_status.map((s: { version: string }) => s.version)).to.deep.equal(['1']);
    const elsewhere = await call(`${server.url}/v2/models/elsewhere/ready`);
    expect(elsewhere.status).to.equal(404);
    expect(JSON.stringify(elsewhere.body)).to.not.include(outside);
    expect((await call(`${server.url}/v2/health/ready`)).status).to.equal(503);

    await server.reload(); // the same reasons are not logged again
    expect(logger.lines.filter((l) => /not served/.test(l))).to.have.length(skipped.length);
  });
});
