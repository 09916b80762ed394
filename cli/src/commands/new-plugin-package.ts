import { CORE_VERSION } from '@modelport/core';
import type { ScaffoldNames, ScaffoldType } from './new-plugin-names.js';

/** The ranges a scaffolded package asks for: the core this CLI runs with, and the tools it is tested with. */
const CORE_RANGE = `^${CORE_VERSION}`;
/** @modelport/testing is released with core, in the same 0.x line. */
const TESTING_RANGE = '^0.1.0';
const DEV_TOOLS: Readonly<Record<string, string>> = {
  '@types/chai': '^5.2.3',
  '@types/mocha': '^10.0.10',
  '@types/node': '^20.19.0',
  chai: '^6.3.0',
  mocha: '^11.7.0',
  typescript: '~5.9.3',
};

/** What each type says it provides in its manifest: its key, except where the type has no keys. */
function provides(n: ScaffoldNames): string[] {
  if (n.type === 'quantizer') return ['float16'];
  return [n.key];
}

const DESCRIPTION: Readonly<Record<ScaffoldType, (n: ScaffoldNames) => string>> = {
  exporter: (n) => `A modelport exporter: writes the target "${n.key}", a JSON summary of the graph`,
  pass: (n) => `A modelport graph pass (${n.key}): removes ops that hand their input on unchanged`,
  quantizer: () => 'A modelport quantizer: stores float32 weights as float16 under --quantize float16',
  runtime: (n) => `A modelport runtime: runs artifacts of format "${n.key}" (tfjs graph models) with tfjs`,
  adapter: (n) => `A modelport serving adapter (${n.key}): scales every output of the model it wraps`,
  module: (n) => `A modelport export module (${n.key}): a signature input whose values are scaled before they feed the model`,
  preset: () => 'A modelport preset: the default preset, and more',
};

export function packageJson(n: ScaffoldNames): string {
  const isPreset = n.type === 'preset';
  const manifest = isPreset
    ? { type: 'preset', core: CORE_RANGE, preset: './preset.json' }
    // A module's options come with each export (moduleOptions), not with the plugin: its schema is the module's own.
    : { type: n.type, provides: provides(n), core: CORE_RANGE, ...(n.type === 'module' ? {} : { options: './options.schema.json' }) };
  const pkg = {
    name: n.packageName,
    version: '0.1.0',
    description: DESCRIPTION[n.type](n),
    license: 'UNLICENSED',
    type: 'module',
    ...(isPreset ? {} : {
      main: './dist/src/index.js',
      types: './dist/src/index.d.ts',
      exports: { '.': { types: './dist/src/index.d.ts', default: './dist/src/index.js' }, './package.json': './package.json' },
    }),
    files: isPreset ? ['preset.json', 'README.md'] : ['dist/src', 'options.schema.json', 'README.md'],
    scripts: { build: 'tsc -p .', test: 'mocha --timeout 120000 "dist/test/**/*.test.js"' },
    modelport: manifest,
    peerDependencies: { '@modelport/core': CORE_RANGE },
    devDependencies: {
      '@modelport/core': CORE_RANGE,
      ...(isPreset ? { '@modelport/registry': CORE_RANGE } : { '@modelport/testing': TESTING_RANGE }),
      ...DEV_TOOLS,
    },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

export function tsconfigJson(n: ScaffoldNames): string {
  return `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "lib": ["ES2022"],
    "types": ["node", "mocha"],
    "strict": true,
    "declaration": true,
    "sourceMap": true,
    "resolveJsonModule": true,
    // @tensorflow/tfjs's own .d.ts files name browser types (WebGLTexture, …) that a Node lib does
    // not have; skipLibCheck checks our code against them without checking them.
    "skipLibCheck": true,
    "rootDir": ".",
    "outDir": "dist"
  },
  "include": [${n.type === 'preset' ? '"test"' : '"src", "test"'}]
}
`;
}

export const GITIGNORE = 'node_modules/\ndist/\n';
