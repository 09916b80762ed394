import { expect } from 'chai';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findModelportBin, runModelport, withTempRepository } from '@modelport/testing';

const HERE = path.dirname(fileURLToPath(import.meta.url));

describe('the CLI runner', function () {
  this.timeout(60_000);

  it('runs the modelport command installed for the folder, with its code and output', async () => {
    const version = (createRequire(import.meta.url)('@modelport/cli/package.json') as { version: string }).version;
    const r = await runModelport(['--version'], { cwd: HERE });
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal(version);
    const bad = await runModelport(['no-such-command'], { cwd: HERE });
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include("unknown command 'no-such-command'");
  });

  it('says where it looked when no modelport is installed', async () => {
    await withTempRepository(async (dir) => {
      expect(() => findModelportBin(dir)).to.throw(`@modelport/cli is not installed for ${dir} (nor in a parent folder's node_modules)`);
    }, 'no-cli-');
  });
});
