import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { OptionsError, type JsonSchema } from '@modelport/core';
import { closestKey } from './names.js';
import { describeSource, sourceFile, type OptionSource, type OptionSources } from './option-sources.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

/** What is being checked, and where its values came from. */
export interface OptionsCheck {
  /** "options of plugin @modelport/exporter-tfjs", "modelport.config.json" */
  readonly what: string;
  readonly plugin?: string;
  /** Where each top-level key was set; keys without one are quoted without a place. */
  readonly sources: OptionSources;
  /** The schema file, named last: the place to read what the options are, not where to fix them. */
  readonly schemaFile?: string;
  /** The file of the whole value, when every key comes from one place (a config file). */
  readonly file?: string;
}

/**
 * Validates `value` (defaults filled in) and returns it, or throws one OptionsError naming every
 * bad key, where its value was set (preset, config file, flag), and for an unknown key the known
 * key it most likely misspells. The error's `file` is where the first bad value was set.
 */
export function checkOptions<T>(schema: JsonSchema, value: unknown, check: OptionsCheck): T {
  const validate = compile(schema);
  const copy = structuredClone(value ?? {});
  if (validate(copy)) return copy as T;
  const problems = (validate.errors ?? []).map((e) => describeProblem(e, schema, check.sources));
  const unique = problems.filter((p, i) => problems.findIndex((q) => q.text === p.text) === i);
  const file = sourceFile(unique.find((p) => p.source)?.source) ?? check.file;
  const schemaNote = check.schemaFile ? ` (the options are described in ${check.schemaFile})` : '';
  throw new OptionsError(`invalid ${check.what}: ${unique.map((p) => p.text).join('; ')}${schemaNote}`, {
    ...(check.plugin ? { plugin: check.plugin } : {}), ...(file ? { file } : {}),
  });
}

function compile(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    // ajv keeps schemas by $id and refuses a second with the same one; this copy needs none.
    const { $id: _id, $schema: _schema, ...rest } = schema as Record<string, unknown>;
    validate = ajv.compile(rest);
    compiled.set(schema, validate);
  }
  return validate;
}

interface Problem { readonly text: string; readonly source?: OptionSource }

function describeProblem(e: ErrorObject, schema: JsonSchema, sources: OptionSources): Problem {
  const path = e.instancePath.slice(1).split('/').filter(Boolean);
  const top = path[0] ?? (e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined);
  const source = top !== undefined ? sources[top] : undefined;
  const where = source ? ` (set in ${describeSource(source)})` : '';
  const key = path.join('.');
  if (e.keyword === 'additionalProperties') {
    const unknown = String(e.params.additionalProperty);
    const known = Object.keys(propertiesAt(schema, path));
    const near = closestKey(unknown, known);
    const hint = near ? `; did you mean "${[...path, near].join('.')}"?` : known.length ? `; known options: ${known.join(', ')}` : '';
    return { text: `unknown option "${[...path, unknown].join('.')}"${where}${hint}`, ...(source ? { source } : {}) };
  }
  if (e.keyword === 'required') return { text: `missing required option "${[...path, e.params.missingProperty].join('.')}"${where}`, ...(source ? { source } : {}) };
  const subject = key ? `"${key}"` : 'the options';
  const rule = e.keyword === 'enum' ? `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` : e.message ?? 'is invalid';
  return { text: `${subject} ${rule}${where}`, ...(source ? { source } : {}) };
}

/** The `properties` of the (sub)schema at an instance path, for "did you mean". */
function propertiesAt(schema: JsonSchema, path: readonly string[]): Record<string, unknown> {
  let node = schema as Record<string, unknown> | undefined;
  for (const segment of path) {
    const properties = node?.properties as Record<string, Record<string, unknown>> | undefined;
    node = properties?.[segment] ?? (typeof node?.additionalProperties === 'object' ? node.additionalProperties as Record<string, unknown> : undefined);
  }
  return (node?.properties as Record<string, unknown> | undefined) ?? {};
}
