/**
 * Two export modules as package folders a project loads by path (--plugin ./scale): an input
 * module that scales a new "pixels" input by a factor before the tiny-cnn's "image", and an output
 * module that turns its "classes" into percentages. The factor can come from a JSON file named in
 * the module's options, which resolves beside the options file.
 */
export function exportModuleFolders(): Record<string, string | object> {
  return {
    'scale/package.json': {
      name: 'scale-module', version: '0.0.1', type: 'module', main: 'index.js',
      modelport: { type: 'module', provides: ['scale'], core: '^0.1.0' },
    },
    'scale/index.js': `
import { readFileSync } from 'node:fs';
import { exportModulePlugin } from '@modelport/core';
const T = { T: { type: 'float32' } };
export default exportModulePlugin({
  kind: 'input', name: 'scale', description: 'pixels × factor feed the image',
  optionsSchema: { type: 'object', additionalProperties: false, properties: { factor: { type: 'number', default: 1 }, factorFile: { type: 'string' } } },
  build(ctx, options) {
    const factor = options.factorFile ? JSON.parse(readFileSync(ctx.resolve(options.factorFile), 'utf8')).factor : options.factor;
    if (!(factor > 0)) ctx.fail('must be above 0, not ' + factor, 'factor');
    const pixels = ctx.ops.input('pixels', 'float32', [-1, 32, 32, 3]);
    const k = ctx.ops.constant('factor', 'float32', [], [factor]);
    return { feeds: { image: ctx.ops.node('scaled', { op: 'Mul', inputs: [pixels, k], attrs: T }) }, metadata: { factor } };
  },
}, { name: 'scale-module', version: '0.0.1' });
`,
    'percent/package.json': {
      name: 'percent-module', version: '0.0.1', type: 'module', main: 'index.js',
      modelport: { type: 'module', provides: ['percent'], core: '^0.1.0' },
    },
    'percent/index.js': `
import { exportModulePlugin } from '@modelport/core';
export default exportModulePlugin({
  kind: 'output', name: 'percent',
  build(ctx, _options, outputs) {
    const classes = outputs.classes ?? ctx.fail('the model has no output "classes"');
    const hundred = ctx.ops.constant('hundred', 'float32', [], [100]);
    const percent = ctx.ops.node('percent', { op: 'Mul', inputs: [classes.name, hundred], attrs: { T: { type: 'float32' } } });
    return { outputs: { percent: { name: percent, dtype: 'float32', shape: classes.shape } } };
  },
}, { name: 'percent-module', version: '0.0.1' });
`,
  };
}
