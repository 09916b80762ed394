import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { createTempRepository, withTempRepository } from '@modelport/testing';

const run = promisify(execFile);

describe('temporary repositories', () => {
  it('are fresh folders, removed by remove()', async () => {
    const [a, b] = [await createTempRepository(), await createTempRepository()];
    expect(a.dir).to.not.equal(b.dir);
    await fs.writeFile(`${a.dir}/x`, 'x');
    await a.remove();
    await b.remove();
    expect(existsSync(a.dir)).to.equal(false);
    expect(existsSync(b.dir)).to.equal(false);
  });

  it('are removed after withTempRepository, also when the body throws', async () => {
    let seen = '';
    let error: unknown;
    try {
      await withTempRepository(async (dir) => { seen = dir; await fs.writeFile(`${dir}/x`, 'x'); throw new Error('boom'); });
    } catch (e) { error = e; }
    expect((error as Error).message).to.equal('boom');
    expect(existsSync(seen)).to.equal(false);
  });

  it('are removed when the process exits without removing them', async () => {
    const entry = createRequire(import.meta.url).resolve('@modelport/testing');
    const script = `import { createTempRepository } from ${JSON.stringify(entry)};
      const r = await createTempRepository(); console.log(r.dir);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script]);
    const dir = stdout.trim();
    expect(dir).to.match(/modelport-test-/);
    expect(existsSync(dir)).to.equal(false);
  });
});
