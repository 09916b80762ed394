import { expect } from 'chai';
import { parseVersionFlag } from '../src/commands/version-flag.js';

describe('--version', () => {
  it('takes whole numbers from 1 to 2^53-1', () => {
    expect(parseVersionFlag('1')).to.equal(1);
    expect(parseVersionFlag(' 42 ')).to.equal(42);
    expect(parseVersionFlag('9007199254740991')).to.equal(Number.MAX_SAFE_INTEGER);
  });

  it('refuses what would make a folder no server reads as a version', () => {
    for (const value of ['1e21', '-1', '0', '1.5', '0x10', '', 'two', '9007199254740992', 'Infinity']) {
      expect(() => parseVersionFlag(value), value).to.throw(`--version "${value}": a version is a whole number from 1 to 9007199254740991`);
    }
  });
});
