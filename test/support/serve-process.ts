import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_BIN, REPO_ROOT } from './paths.js';

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<number | null>;
}

/** Starts `modelport serve <repository> --port 0 …` and resolves with the URL it prints. */
export function startServeProcess(args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_BIN, 'serve', ...args, '--port', '0'], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`modelport serve did not start in 30 s: ${stderr}`)); }, 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`modelport serve exited with ${code}: ${stderr}`)); });
    child.stdout!.on('data', (d: Buffer) => {
      const m = /at (http:\/\/\S+)/.exec(d.toString());
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: m[1]!, child,
        stop: () => new Promise((done) => { child.once('exit', (code) => done(code)); child.kill('SIGTERM'); }),
      });
    });
  });
}
