import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ArtifactStore, coreServices, createContainer, definePlugin } from '@modelport/core';
import { smallConvNet } from '@modelport/core/testing';

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

const textExporter = definePlugin({
  name: 'text-exporter', version: '1.0.0',
  apply(hooks) {
    hooks.writeArtifact.for('text').tapPromise('text-exporter', async (graph, ctx) => {
      await fs.writeFile(path.join(ctx.dir, 'ops.txt'), graph.nodes.map((n) => n.op).join('\n'));
      return { target: 'text', format: 'text', plugin: 'text-exporter', path: 'ops.txt', files: ['ops.txt'] };
    });
  },
});

const TEMP_NAME = /^\.tmp-(\d+)-([0-9a-f]{8})-[A-Za-z0-9]{6}$/;

describe('temp version folders left by killed exports', () => {
  let out: string;
  beforeEach(async () => { out = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-stale-')); });
  afterEach(() => fs.rm(out, { recursive: true, force: true }));

  /** This machine's tag, as the store writes it into a temp version's name. */
  async function hostTag(): Promise<string> {
    const pending = await new ArtifactStore().begin(out, 'probe');
    await pending.abort();
    return TEMP_NAME.exec(path.basename(pending.dir))![2]!;
  }

  const folder = async (rel: string) => {
    await fs.mkdir(path.join(out, rel), { recursive: true });
    await fs.writeFile(path.join(out, rel, 'model.onnx'), 'half written');
  };
  const exists = (rel: string) => fs.stat(path.join(out, rel)).then(() => true, () => false);

  it('names the temp version after the process and the machine', async () => {
    const pending = await new ArtifactStore().begin(out, 'm');
    try {
      expect(Number(TEMP_NAME.exec(path.basename(pending.dir))?.[1])).to.equal(process.pid);
    } finally {
      await pending.abort();
    }
  });

  it('are removed by the next export to the repository when their process is gone; live, foreign and other folders stay', async () => {
    const tag = await hostTag();
    const dead = deadPid();
    const stale = [`other-model/.tmp-${dead}-${tag}-Zz0000`, `small/.tmp-${dead}-${tag}-aB3dE9`];
    const kept = [
      `small/.tmp-${process.pid}-${tag}-live01`, // a live export (this process)
      `small/.tmp-${dead}-0badc0de-remote`, // another machine's: its pid says nothing here
      `small/.tmp-${dead}-Ab3dE9`, // no machine tag
      'small/.cache',
    ];
    for (const rel of [...stale, ...kept]) await folder(rel);

    const { host, pipeline } = coreServices(createContainer());
    await host.apply(textExporter);
    const summary = await pipeline.run({ source: { format: 'graph', name: 'small', graph: smallConvNet() }, options: { targets: ['text'], out, validate: false } });

    for (const rel of stale) expect(await exists(rel), rel).to.equal(false);
    for (const rel of kept) expect(await exists(rel), rel).to.equal(true);
    expect(summary.version).to.equal(1);
    expect(summary.notes).to.include(`removed 2 temp folder(s) left in the repository by exports whose process is gone: ${stale.join(', ')}`);
  });

  it('are left alone while their process runs', async () => {
    const tag = await hostTag();
    await folder(`m/.tmp-${process.pid}-${tag}-abcdef`);
    const pending = await new ArtifactStore().begin(out, 'm');
    await pending.abort();
    expect(pending.staleTempDirsRemoved).to.deep.equal([]);
    expect(await exists(`m/.tmp-${process.pid}-${tag}-abcdef`)).to.equal(true);
  });
});
