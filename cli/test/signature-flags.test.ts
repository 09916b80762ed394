import { expect } from 'chai';
import path from 'node:path';
import { parseSignatureFlags, signatureOptions } from '../src/commands/signature-flags.js';

describe('export signature flags over the config', () => {
  it('reads KEY=MODULE[,MODULE…], trimming spaces, one key per flag', () => {
    expect(parseSignatureFlags(['serving_default=image, detection', 'serving_float=image'])).to.deep.equal({
      serving_default: ['image', 'detection'], serving_float: ['image'],
    });
    expect(() => parseSignatureFlags(['=image'])).to.throw('--signature "=image": no signature key before "="');
  });

  it('replaces the config\'s signature of the same key and keeps its others; none drops the source signature', async () => {
    const { options } = await signatureOptions(
      { signature: ['a=image'], sourceSignature: 'none' },
      { signatures: { a: ['image', 'classification'], b: ['image'] } }, {},
    );
    expect(options).to.deep.equal({ signatures: { a: ['image'], b: ['image'] }, sourceSignature: false });
    const alone = await signatureOptions({ sourceSignature: 'raw' }, {}, {}).catch((e: Error) => e);
    expect(String(alone)).to.include('--source-signature raw: only applies with module signatures');
  });

  it('resolves moduleOptions a preset set beside its preset file, and says the preset set them', async () => {
    const file = path.resolve('/presets/acme/preset.json');
    const result = await signatureOptions({}, { moduleOptions: { classification: { labels: 'labels.txt' } } }, { moduleOptions: { kind: 'preset', preset: '@acme/preset', file } });
    expect(result).to.deep.equal({ options: {}, moduleOptionsFile: file, moduleOptionsOrigin: 'preset @acme/preset' });
  });
});
