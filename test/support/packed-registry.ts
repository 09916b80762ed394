import { execFile } from 'node:child_process';
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './paths.js';

const run = promisify(execFile);

/** One workspace package packed by `npm pack`, as its --json output describes it. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  readonly filename: string;
  readonly integrity: string;
  readonly shasum: string;
  readonly files: readonly { path: string }[];
  /** The package.json it was packed from. */
  readonly manifest: Record<string, unknown>;
}

/** The publishable workspace folders: core, registry, the test kit, cli and every plugin (test/ is private). */
export async function publishableWorkspaces(): Promise<string[]> {
  const plugins = (await fs.readdir(path.join(REPO_ROOT, 'plugins'))).sort().map((p) => `plugins/${p}`);
  return ['core', 'registry', 'testing', 'cli', ...plugins];
}

/** Packs every publishable workspace into `dir` with one `npm pack` (the packages must be built). */
export async function packWorkspaces(dir: string): Promise<PackedPackage[]> {
  const workspaces = await publishableWorkspaces();
  const { stdout } = await run('npm', ['pack', ...workspaces.flatMap((w) => ['-w', w]), '--pack-destination', dir, '--json'], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  const packed = JSON.parse(stdout) as Omit<PackedPackage, 'manifest'>[];
  return Promise.all(packed.map(async (p, i) => ({
    ...p, manifest: JSON.parse(await fs.readFile(path.join(REPO_ROOT, workspaces[i]!, 'package.json'), 'utf8')) as Record<string, unknown>,
  })));
}

/**
 * A registry on loopback that serves the packed tarballs, so that `npm install @modelport/cli`
 * resolves the @modelport packages through the dependencies they declare, as from the npm
 * registry; npm is pointed at it for the @modelport scope only, other packages come from its cache.
 */
export async function servePackedRegistry(dir: string, packed: readonly PackedPackage[]): Promise<{ url: string; close(): Promise<void> }> {
  const byName = new Map(packed.map((p) => [p.name, p]));
  let base = '';
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (url.startsWith('/-/tarballs/')) {
      const file = path.join(dir, path.basename(url));
      if (!packed.some((p) => p.filename === path.basename(url))) { res.writeHead(404).end(); return; }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(file).pipe(res);
      return;
    }
    const pkg = byName.get(url.slice(1));
    if (!pkg) { res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}'); return; }
    const version = { ...pkg.manifest, dist: { tarball: `${base}/-/tarballs/${pkg.filename}`, integrity: pkg.integrity, shasum: pkg.shasum } };
    res.writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ name: pkg.name, 'dist-tags': { latest: pkg.version }, versions: { [pkg.version]: version } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: `${base}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
