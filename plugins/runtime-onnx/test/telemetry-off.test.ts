import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// onnxruntime's telemetry client writes /tmp/mat-debug-<pid>.log (a fixed folder, not TMPDIR).
const MAT_DEBUG = (pid: number) => `/tmp/mat-debug-${pid}.log`;
const PACKAGE_ENTRY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'index.js');

/** Runs a fresh Node that loads this package and opens an onnxruntime session; resolves its pid. */
function loadInChild(env: NodeJS.ProcessEnv): Promise<number> {
  const script = `
    await import(${JSON.stringify(PACKAGE_ENTRY)});
    const ort = await import('onnxruntime-node');
    // An empty model fails to load, but the runtime is initialised by then.
    await ort.InferenceSession.create(new Uint8Array([8, 7])).catch(() => {});
    console.log(process.pid);`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module', '-e', script], { env, cwd: path.dirname(PACKAGE_ENTRY) }, (error, stdout) => {
      if (error) reject(error); else resolve(Number(stdout.trim()) || child.pid!);
    });
  });
}

describe('runtime-onnx: nothing left in /tmp', function () {
  this.timeout(60_000);

  it('a process that loads onnxruntime through this package leaves no mat-debug-<pid>.log', async () => {
    const { ORT_DISABLE_TELEMETRY: _, ...env } = process.env;
    const pid = await loadInChild(env);
    expect(existsSync(MAT_DEBUG(pid))).to.equal(false);
  });

  it('without the setting onnxruntime does leave one (so the test above can fail)', async function () {
    const pid = await loadInChild({ ...process.env, ORT_DISABLE_TELEMETRY: '0' });
    if (!existsSync(MAT_DEBUG(pid))) this.skip(); // a build without telemetry: nothing to stop
    await import('node:fs').then((fs) => fs.promises.rm(MAT_DEBUG(pid)));
  });
});
