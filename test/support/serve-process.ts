import { spawn, type ChildProcess } from 'node:child_process';
import { CLI_BIN, REPO_ROOT } from './paths.js';

export interface ServeProcess {
  readonly url: string;
  /** The line it printed when ready: "serving <repository> at <url> (<protocols>)". */
  readonly line: string;
  readonly child: ChildProcess;
  stop(): Promise<number | null>;
}

/** Starts `modelport serve <repository> --port 0 …` (in `cwd`, else the repository root) and resolves with the URL it prints. */
export function startServeProcess(args: readonly string[], cwd = REPO_ROOT): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_BIN, 'serve', ...args, '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`modelport serve did not start in 30 s: ${stderr}`)); }, 30_000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`modelport serve exited with ${code}: ${stderr}`)); });
    child.stdout!.on('data', (d: Buffer) => {
      const m = /^serving .* at (http:\/\/\S+) .*$/m.exec(d.toString());
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        url: m[1]!, line: m[0], child,
        stop: () => new Promise((done) => { child.once('exit', (code) => done(code)); child.kill('SIGTERM'); }),
      });
    });
  });
}
