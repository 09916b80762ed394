import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import { runCli } from '../support/cli.js';
import { scratchDir } from '../support/fixtures.js';
import { EXAMPLE_MODEL } from '../support/paths.js';

describe('CLI: tfjs backend choice', function () {
  this.timeout(60_000);
  let out: string;
  beforeEach(async () => { out = await scratchDir('backend'); });
  afterEach(() => fs.rm(out, { recursive: true, force: true }));

  it('MODELPORT_BACKEND=cpu forces the cpu backend, with the same result', async () => {
    const [wasm, cpu] = await Promise.all([
      runCli(['export', EXAMPLE_MODEL, '--out', `${out}/wasm`, '--json']),
      runCli(['export', EXAMPLE_MODEL, '--out', `${out}/cpu`, '--json', '--verbose'], { env: { MODELPORT_BACKEND: 'cpu' } }),
    ]);
    expect(wasm.code, wasm.stderr).to.equal(0);
    expect(cpu.code, cpu.stderr).to.equal(0);
    expect(JSON.parse(cpu.stdout).artifacts[0].validation.ok).to.equal(true);
    expect(cpu.stderr).to.match(/tfjs backend: cpu/);
  });

  it('refuses an unknown MODELPORT_BACKEND by name', async () => {
    const r = await runCli(['export', EXAMPLE_MODEL, '--out', out], { env: { MODELPORT_BACKEND: 'webgl' } });
    expect(r.code).to.equal(1);
    expect(r.stderr.trim()).to.match(/^error: .*MODELPORT_BACKEND="webgl" is not a tfjs backend; use one of wasm, cpu, tensorflow$/);
  });
});
