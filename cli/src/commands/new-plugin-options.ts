import type { ScaffoldType } from './new-plugin-names.js';

/** One option of a scaffolded plugin: its JSON schema, its TypeScript type and what it does. */
export interface OptionSpec {
  readonly name: string;
  readonly doc: string;
  readonly schema: Readonly<Record<string, unknown>> & { readonly default: unknown };
  readonly tsType: string;
}

/** The example option each template starts with; options.schema.json and src/options.ts are both written from it. */
export const OPTIONS_OF: Readonly<Record<Exclude<ScaffoldType, 'preset'>, readonly OptionSpec[]>> = {
  exporter: [{ name: 'pretty', doc: 'Indent the JSON it writes.', schema: { type: 'boolean', default: false }, tsType: 'boolean' }],
  pass: [{ name: 'ops', doc: 'Ops that hand their first input on unchanged; the pass removes them.', schema: { type: 'array', items: { type: 'string', minLength: 1 }, default: ['Identity'] }, tsType: 'string[]' }],
  quantizer: [{ name: 'minElements', doc: 'Weights with fewer values than this stay float32.', schema: { type: 'integer', minimum: 1, default: 8 }, tsType: 'number' }],
  runtime: [{ name: 'defaultSignature', doc: 'The signature a request that names none is answered with.', schema: { type: 'string', minLength: 1, default: 'serving_default' }, tsType: 'string' }],
  adapter: [{ name: 'scale', doc: 'Every output value is multiplied by it.', schema: { type: 'number', default: 1 }, tsType: 'number' }],
  module: [{ name: 'scale', doc: 'The signature input is multiplied by it before it feeds the model.', schema: { type: 'number', default: 1 }, tsType: 'number' }],
};

export function optionsSchemaJson(specs: readonly OptionSpec[]): string {
  const properties = Object.fromEntries(specs.map((s) => [s.name, { description: s.doc, ...s.schema }]));
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', additionalProperties: false, properties }, null, 2)}\n`;
}

/** src/options.ts: the options type and its defaults, written from the same specs as the schema. */
export function optionsModule(specs: readonly OptionSpec[], typeName: string): string {
  const fields = specs.map((s) => `  /** ${s.doc} */\n  readonly ${s.name}: ${s.tsType};`).join('\n');
  const defaults = specs.map((s) => `  ${s.name}: ${JSON.stringify(s.schema.default)},`).join('\n');
  return `// The options as apply() (a module: build()) receives them: validated against options.schema.json and its defaults
// filled in. Change the schema and this file together; the test checks that their defaults agree.
export interface ${typeName} {
${fields}
}

export const DEFAULT_OPTIONS: ${typeName} = {
${defaults}
};
`;
}
