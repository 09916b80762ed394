import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ModelLoadError, PluginError } from '@modelport/core';
import { classifyReply } from '../fuzz/case-kinds.js';
import { DEFAULT_CASES, DEFAULT_KINDS, DEFAULT_SEED } from '../fuzz/default-kinds.js';
import { formatFuzzReport } from '../fuzz/fuzz-report.js';
import { runFuzz, type FuzzReport } from '../fuzz/fuzz-run.js';
import { classifyError } from '../fuzz/outcome.js';
import { SeededRandom } from '../fuzz/random.js';
import { misplacedFiles } from '../fuzz/version-folder-check.js';

describe('fuzzing: mutated model files and HTTP requests', function () {
  this.timeout(180_000);
  let report: FuzzReport;

  before(async () => {
    report = await runFuzz({ seed: DEFAULT_SEED, cases: DEFAULT_CASES, kinds: DEFAULT_KINDS, caseTimeMs: 20_000 });
    console.log(`\n${formatFuzzReport(report)}\n`);
  });

  it(`every case of ${DEFAULT_KINDS.map((k) => k.name).join(', ')} ends in success or one clear error, within its time, without a crash`, () => {
    const bad = report.defects.map((d) => `${d.kind} ${d.outcome}: ${d.message}\n  mutation: ${d.mutation} (replay: npm run fuzz -- --replay '${d.kind}:${d.caseSeed}')`);
    expect(bad, bad.join('\n')).to.deep.equal([]);
  });

  it('mutations reach the readers: every kind has both successes and clear errors', () => {
    for (const [kind, f] of Object.entries(report.byKind)) {
      expect(f.cases, kind).to.be.greaterThan(DEFAULT_CASES / DEFAULT_KINDS.length - 2);
      expect(f.clear, `${kind}: no mutation was refused`).to.be.greaterThan(0);
      expect(f.success, `${kind}: nothing got through`).to.be.greaterThan(0);
    }
  });

  it('the same seed gives the same cases', () => {
    const a = new SeededRandom(DEFAULT_SEED);
    const b = new SeededRandom(DEFAULT_SEED);
    expect(Array.from({ length: 5 }, () => a.fork())).to.deep.equal(Array.from({ length: 5 }, () => b.fork()));
  });

  describe('what counts as a defect', () => {
    it('an error that is not a ModelportError, an internal message, a PluginError around a raw error', () => {
      expect(classifyError(new TypeError('x is not iterable')).kind).to.equal('defect');
      expect(classifyError(new ModelLoadError('Cannot read properties of undefined (reading \'shape\')')).kind).to.equal('defect');
      expect(classifyError(new PluginError('p', 'loadModel', new TypeError('The first argument must be of type string'))).kind).to.equal('defect');
      expect(classifyError(new ModelLoadError('weight data is cut short', { file: 'w.bin' }))).to.deep.equal({ kind: 'clear', message: 'file "w.bin": weight data is cut short' });
    });

    it('a 5xx reply, or a 4xx without a JSON error', () => {
      expect(classifyReply({ status: 500, contentType: 'application/json', text: '{"error":"boom"}' }).kind).to.equal('defect');
      expect(classifyReply({ status: 400, contentType: 'text/html', text: '<h1>Bad</h1>' }).kind).to.equal('defect');
      expect(classifyReply({ status: 400, contentType: 'application/json', text: '{"error":"input \\"x\\" is missing"}' }).kind).to.equal('clear');
    });

    it('a file outside --out, and a version folder without its export.json', async () => {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelport-fuzz-check-'));
      await fs.mkdir(path.join(dir, 'out', 'model', '1'), { recursive: true });
      await fs.mkdir(path.join(dir, 'out', 'model', '.tmp-2'), { recursive: true });
      await fs.writeFile(path.join(dir, 'stray.bin'), '');
      expect(await misplacedFiles(dir)).to.have.members([
        'file written outside --out: stray.bin', 'partial version visible in --out: model/1', 'partial version visible in --out: model/.tmp-2',
      ]);
      await fs.rm(dir, { recursive: true, force: true });
    });
  });
});
