import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { DType, TensorData } from '@modelport/core';
import { serveArtifact } from '@modelport/testing';
import runtimeSavedModel from '../src/index.js';

/** The SavedModels TensorFlow wrote, kept with the savedmodel library's tests, with TF's inputs and outputs. */
const fixtureDir = (name: string) => fileURLToPath(new URL(`../../../savedmodel/test/fixtures/${name}/`, import.meta.url));

function recorded(name: string, side: 'inputs' | 'outputs'): Record<string, TensorData> {
  const index = JSON.parse(readFileSync(`${fixtureDir(name)}index.json`, 'utf8')) as Record<typeof side, { name: string; dtype: DType; shape: number[]; file: string }[]>;
  return Object.fromEntries(index[side].map((t) => {
    const bytes = readFileSync(fixtureDir(name) + t.file);
    return [t.name, { dtype: t.dtype, shape: t.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) }];
  }));
}

describe('runtime-savedmodel', function () {
  this.timeout(60_000);

  it('serves a SavedModel (given as its saved_model.pb, as validation does) with TensorFlow\'s outputs', async () => {
    const predictor = await serveArtifact({ plugins: [runtimeSavedModel], format: 'savedmodel', path: `${fixtureDir('tf1-frozen-cnn')}saved_model/saved_model.pb` });
    try {
      expect(predictor.format).to.equal('savedmodel');
      expect(Object.keys(predictor.signatures)).to.deep.equal(['serving_default']);
      const outputs = await predictor.predict(recorded('tf1-frozen-cnn', 'inputs'));
      for (const [key, expected] of Object.entries(recorded('tf1-frozen-cnn', 'outputs'))) {
        const got = outputs[key]!.data as Float32Array, want = expected.data as Float32Array;
        expect(outputs[key]!.shape).to.deep.equal(expected.shape);
        let worst = 0, ref = 0;
        want.forEach((w, i) => { worst = Math.max(worst, Math.abs(got[i]! - w)); ref = Math.max(ref, Math.abs(w)); });
        console.log(`      ${key}: max |Δ| ${worst.toExponential(2)} of max |ref| ${ref.toExponential(2)}`);
        expect(worst / ref).to.be.at.most(1e-5);
      }
    } finally {
      await predictor.dispose();
    }
  });

  it('names the signature and input a request lacks', async () => {
    const predictor = await serveArtifact({ plugins: [runtimeSavedModel], format: 'savedmodel', path: `${fixtureDir('tf1-frozen-cnn')}saved_model` });
    try {
      await predictor.predict({}).then(() => expect.fail('predict should reject'), (e: Error) => expect(e.message).to.include('input "image" of signature "serving_default" is missing'));
      await predictor.predict(recorded('tf1-frozen-cnn', 'inputs'), 'embed').then(() => expect.fail('predict should reject'), (e: Error) => expect(e.message).to.include('no signature "embed"; the SavedModel has serving_default'));
    } finally {
      await predictor.dispose();
    }
  });
});
