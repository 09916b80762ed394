import { expect } from 'chai';
import { TF_OPS } from '../src/op-registry.js';
import { fixtureOpDefs } from './support/fixtures.js';

const argForm = (a: any) => ({ name: a.name, type: a.type, typeAttr: a.typeAttr, numberAttr: a.numberAttr, typeListAttr: a.typeListAttr });
const attrForm = (a: any) => ({ name: a.name, type: a.type, hasDefault: a.defaultValue !== undefined, minimum: a.hasMinimum ? Number(a.minimum ?? 0) : undefined });

/** Bytes as text, int64 strings as numbers: the two sides spell the same AttrValue. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v, function (k, x) {
  const raw = (this as Record<string, unknown>)[k];
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString();
  return k === 'i' && Array.isArray(x) ? x.map(Number) : x;
}));

describe('op registry: TensorFlow\'s own OpDefs', () => {
  const real = fixtureOpDefs();
  const shared = [...TF_OPS.keys()].filter((op) => real.has(op));

  it('agrees with every OpDef TensorFlow 2.21 wrote in the fixtures\' stripped_op_list: args, attrs, which attrs have defaults', () => {
    console.log(`      ${shared.length} ops compared with TensorFlow's: ${shared.join(' ')}`);
    expect(shared.length).to.be.greaterThan(25);
    for (const op of shared) {
      const ours = TF_OPS.get(op)!;
      const theirs = real.get(op);
      expect(ours.inputArg.map(argForm), `${op} inputs`).to.deep.equal((theirs.inputArg ?? []).map(argForm));
      expect(ours.outputArg.map(argForm), `${op} outputs`).to.deep.equal((theirs.outputArg ?? []).map(argForm));
      const byName = (xs: any[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
      expect(byName(ours.attr.map(attrForm)), `${op} attrs`).to.deep.equal(byName((theirs.attr ?? []).map(attrForm)));
      expect(Boolean(ours.isStateful), `${op} stateful`).to.equal(Boolean(theirs.isStateful));
    }
  });

  it('reads TensorFlow\'s defaults as TensorFlow writes them (Conv2D data_format "NHWC", dilations [1,1,1,1])', () => {
    const conv = TF_OPS.get('Conv2D')!;
    const real = fixtureOpDefs().get('Conv2D');
    for (const name of ['data_format', 'dilations', 'use_cudnn_on_gpu', 'explicit_paddings']) {
      const ours = conv.attr.find((a) => a.name === name)!.defaultValue;
      const theirs = real.attr.find((a: any) => a.name === name).defaultValue;
      expect(plain(ours), name).to.deep.equal(plain(theirs));
    }
  });
});
