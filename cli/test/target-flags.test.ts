import { expect } from 'chai';
import { parseTargetOptionFlag, targetOptionsFromFlags } from '../src/commands/target-flags.js';

describe('target flags: --shard-size, --savedmodel-variables, --target-option', () => {
  it('reads TARGET.OPTION=VALUE, taking JSON values as JSON and anything else as text', () => {
    expect(parseTargetOptionFlag('tfhub.tflite=true')).to.deep.equal(['tfhub', 'tflite', true]);
    expect(parseTargetOptionFlag('tfjs.shardSizeBytes=2048')).to.deep.equal(['tfjs', 'shardSizeBytes', 2048]);
    expect(parseTargetOptionFlag('tfhub.publisher=acme')).to.deep.equal(['tfhub', 'publisher', 'acme']);
    expect(parseTargetOptionFlag('tfhub.description=a=b')).to.deep.equal(['tfhub', 'description', 'a=b']);
  });

  it('names the flag and the expected form when a value has no target or no "="', () => {
    expect(() => parseTargetOptionFlag('tflite')).to.throw(/--target-option "tflite": expected TARGET\.OPTION=VALUE/);
    expect(() => parseTargetOptionFlag('tfhub.publisher')).to.throw(/--target-option "tfhub\.publisher"/);
  });

  it('lays flags over the config\'s target options key by key, the flags winning', () => {
    const config = { tfjs: { directory: 'web', shardSizeBytes: 4096 }, tfhub: { publisher: 'config' } };
    const merged = targetOptionsFromFlags({ shardSize: '2048', savedmodelVariables: true, targetOption: [['tfhub', 'publisher', 'acme']] }, config);
    expect(merged).to.deep.equal({
      tfjs: { directory: 'web', shardSizeBytes: 2048 },
      savedmodel: { variables: true },
      tfhub: { publisher: 'acme' },
    });
    expect(config.tfjs.shardSizeBytes, 'the config is not changed').to.equal(4096);
  });

  it('leaves the config\'s target options alone when no target flag is given', () => {
    expect(targetOptionsFromFlags({}, { tfjs: { directory: 'web' } })).to.equal(undefined);
  });
});
