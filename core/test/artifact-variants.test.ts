import { expect } from 'chai';
import { runnableArtifacts, type ArtifactRecord } from '../src/index.js';

const tfjs: ArtifactRecord = { target: 'tfjs', format: 'tfjs', plugin: 'p-tfjs', path: 'tfjs/model.json', files: ['tfjs/model.json'] };

describe('runnableArtifacts: the artifacts a runtime can open', () => {
  it('puts a package\'s variants in its place, each under <target>/<variant> with its own format and files', () => {
    const pkg: ArtifactRecord = {
      target: 'tfhub', format: 'tfhub', plugin: 'p-hub', path: 'tfhub/README.md', files: ['tfhub/README.md', 'tfhub/tfjs/model.json', 'tfhub/tflite/model.tflite'],
      details: { variants: [
        { variant: 'tfjs', format: 'tfjs', plugin: 'p-tfjs', path: 'tfhub/tfjs/model.json', files: ['tfhub/tfjs/model.json'] },
        { variant: 'tflite', format: 'tflite', plugin: 'p-tflite', path: 'tfhub/tflite/model.tflite', files: ['tfhub/tflite/model.tflite'] },
      ] },
    };
    expect(runnableArtifacts([tfjs, pkg])).to.deep.equal([
      tfjs,
      { target: 'tfhub/tfjs', format: 'tfjs', plugin: 'p-tfjs', path: 'tfhub/tfjs/model.json', files: ['tfhub/tfjs/model.json'] },
      { target: 'tfhub/tflite', format: 'tflite', plugin: 'p-tflite', path: 'tfhub/tflite/model.tflite', files: ['tfhub/tflite/model.tflite'] },
    ]);
  });

  it('keeps a record whose variants are absent, empty or not variants as it is', () => {
    for (const details of [undefined, { variants: [] }, { variants: [{ variant: 'x' }] }, { variants: 'tfjs' }]) {
      const record: ArtifactRecord = { ...tfjs, ...(details ? { details } : {}) };
      expect(runnableArtifacts([record])).to.deep.equal([record]);
    }
  });
});
