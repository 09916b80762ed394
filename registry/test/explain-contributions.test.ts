import { expect } from 'chai';
import { contribute, defineContributionPoint, definePlugin } from '@modelport/core';
import { formatExplanation, Registry } from '@modelport/registry';
import { FixtureProject } from './fixtures.js';

const GREETINGS = defineContributionPoint<string>('lab.greetings', 'a greeting the lab server says');

describe('explain: contribution points', () => {
  let project: FixtureProject;
  before(async () => { project = await FixtureProject.create(); });
  after(() => project.remove());

  it('lists each point that received contributions, with its description and the contributing plugins in order', async () => {
    const registry = new Registry({ cwd: project.dir });
    const greeter = (name: string, greeting: string) => definePlugin({
      name, version: '1.0.0', apply(_hooks, _options, container) { contribute(container, GREETINGS, greeting); },
    });
    await registry.register(greeter('hello-plugin', 'hello'));
    await registry.register(greeter('bonjour-plugin', 'bonjour'));
    const { contributions } = registry.explain();
    expect(contributions).to.deep.equal([{ name: 'lab.greetings', description: 'a greeting the lab server says', plugins: ['hello-plugin', 'bonjour-plugin'] }]);
    expect(formatExplanation(registry.explain())).to.include.members(['contribution points:', '  lab.greetings (a greeting the lab server says): hello-plugin, bonjour-plugin']);
  });

  it('has no contribution points when no plugin contributed', () => {
    expect(new Registry({ cwd: project.dir }).explain().contributions).to.deep.equal([]);
  });
});
