// Fetches real data for tests into .test-data/ once, from the Debian archive (no Python is run):
// scikit-learn's handwritten digits (digits.csv.gz) and scikit-image's sample photos. Each package
// is downloaded with `apt-get download` and unpacked with `dpkg -x`; only the named files are kept.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, '.test-data');

const SITE = 'usr/lib/python3/dist-packages';
/** What to copy out of which package; photos are those skimage states as public domain or CC0. */
const SOURCES = [
  { pkg: 'python3-sklearn', into: 'sklearn', files: [`${SITE}/sklearn/datasets/data/digits.csv.gz`] },
  {
    pkg: 'python3-skimage', into: 'skimage',
    files: ['astronaut.png', 'camera.png', 'chelsea.png', 'coffee.png', 'rocket.jpg', 'hubble_deep_field.jpg', 'horse.png', 'retina.jpg']
      .map((f) => `${SITE}/skimage/data/${f}`),
  },
];

const README = `# Test data

Fetched by \`node scripts/fetch-test-data.mjs\` (CI runs it) from Debian's packages; not committed.

- \`sklearn/digits.csv.gz\` (package python3-sklearn): the UCI optical recognition of handwritten
  digits test set as scikit-learn ships it, 1797 rows of 64 pixels (8×8, values 0–16) and a label.
  scikit-learn, BSD-3-Clause (Copyright 2007–2019 the scikit-learn developers); the data is from
  E. Alpaydin and C. Kaynak, UCI Machine Learning Repository.
- \`skimage/*\` (package python3-skimage): scikit-image's sample photos, each stated public domain or
  CC0 in skimage/data/_fetchers.py: astronaut (NASA, public domain), camera (CC0, Lav Varshney),
  chelsea (CC0, Stefan van der Walt), coffee (CC0, Rachel Michetti), rocket (SpaceX, public domain),
  hubble_deep_field (NASA, public domain), horse (CC0, Andreas Preuss), retina (CC0 1.0).
  The stereo motorcycle pair is left out: its licence (Middlebury 2014) is not stated there.
`;

const wanted = (source) => source.files.map((f) => path.join(dataDir, source.into, path.basename(f)));
if (SOURCES.every((s) => wanted(s).every((f) => existsSync(f)))) process.exit(0);

function fail(message) {
  process.stderr.write(`fetch-test-data: ${message}\n`);
  process.exit(1);
}

for (const tool of ['apt-get', 'dpkg']) {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
  } catch {
    fail(`${tool} is not available: the test data comes from Debian packages (${SOURCES.map((s) => s.pkg).join(', ')}); run this on Debian or Ubuntu, or copy the files into .test-data/ by hand (see the list in this script)`);
  }
}

let listsUpdated = false;
/** apt-get download; on a fresh machine with no package lists, one apt-get update (as root) first. */
function download(pkg) {
  try {
    execFileSync('apt-get', ['download', pkg], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    const why = String(e.stderr ?? e.message).trim().split('\n').pop();
    if (listsUpdated || process.getuid?.() !== 0) fail(`apt-get download ${pkg} failed (${why}); run apt-get update first if the package lists are empty`);
    process.stderr.write('updating the package lists (apt-get update) …\n');
    execFileSync('apt-get', ['update'], { stdio: ['ignore', 'ignore', 'inherit'] });
    listsUpdated = true;
    download(pkg);
  }
}

const work = path.join(dataDir, 'download');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
for (const source of SOURCES) {
  if (wanted(source).every((f) => existsSync(f))) continue;
  process.stderr.write(`fetching ${source.pkg} from the Debian archive into .test-data/ …\n`);
  download(source.pkg);
  const deb = readdirSync(work).find((f) => f.startsWith(`${source.pkg}_`) && f.endsWith('.deb'));
  if (!deb) fail(`apt-get download ${source.pkg} left no .deb file in ${work}`);
  const unpacked = path.join(work, source.pkg);
  execFileSync('dpkg', ['-x', path.join(work, deb), unpacked]);
  mkdirSync(path.join(dataDir, source.into), { recursive: true });
  const missing = source.files.filter((f) => !existsSync(path.join(unpacked, f)));
  if (missing.length) fail(`${deb} lacks ${missing.join(', ')}`);
  for (const f of source.files) copyFileSync(path.join(unpacked, f), path.join(dataDir, source.into, path.basename(f)));
}
rmSync(work, { recursive: true, force: true });
writeFileSync(path.join(dataDir, 'README.md'), README);
process.stderr.write(`test data ready in .test-data/\n`);
