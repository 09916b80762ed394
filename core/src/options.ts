import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { OptionsError, type ErrorLocation } from './errors.js';
import { QUANTIZE_MODES } from './graph/quantization/modes.js';

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

export type JsonSchema = Readonly<Record<string, unknown>>;

function describe(e: ErrorObject): string {
  const where = e.instancePath ? `"${e.instancePath.slice(1).replace(/\//g, '.')}"` : 'options';
  if (e.keyword === 'additionalProperties') return `unknown option "${[e.instancePath.slice(1).replace(/\//g, '.'), e.params.additionalProperty].filter(Boolean).join('.')}"`;
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'required') return `missing required option "${[e.instancePath.slice(1).replace(/\//g, '.'), e.params.missingProperty].filter(Boolean).join('.')}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/**
 * Validates `value` against a JSON schema (defaults filled in) and returns it, or throws an
 * OptionsError that names every failing key and why.
 */
export function validateOptions<T>(schema: JsonSchema, value: unknown, what: string, location: ErrorLocation = {}): T {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  const copy = structuredClone(value ?? {});
  if (!validate(copy)) {
    const problems = (validate.errors ?? []).map(describe);
    throw new OptionsError(`invalid ${what}: ${[...new Set(problems)].join('; ')}`, location);
  }
  return copy as T;
}

/** The options every export understands (ExportOptions). */
export const EXPORT_OPTIONS_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['targets', 'out'],
  properties: {
    targets: { type: 'array', minItems: 1, items: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' } },
    out: { type: 'string', minLength: 1 },
    modelName: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
    version: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    quantize: { enum: [...QUANTIZE_MODES] },
    quantizeWeights: { type: 'array', items: { type: 'string', minLength: 1 } },
    ioType: { enum: ['int8', 'uint8'] },
    calibrationData: { type: 'string', minLength: 1 },
    calibration: { enum: ['data', 'random'] },
    calibrationSteps: { type: 'integer', minimum: 1 },
    calibrationNormalize: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'number' } },
    calibrationPercentile: { type: 'number', exclusiveMinimum: 50, maximum: 100 },
    keepFloat: { type: 'array', items: { type: 'string', minLength: 1 } },
    accuracyTarget: {
      type: 'object', additionalProperties: false, required: ['metric', 'value'],
      properties: { metric: { enum: ['cosine', 'top1'] }, value: { type: 'number', exclusiveMinimum: 0, maximum: 1 } },
    },
    quantizeReport: { type: 'string', minLength: 1 },
    validate: { type: 'boolean', default: true },
    tolerance: { type: 'number', exclusiveMinimum: 0 },
    validationInputs: { type: 'string' },
    inputShapes: { type: 'object', additionalProperties: { type: 'array', items: { type: 'integer', minimum: -1 } } },
    inputValues: { type: 'object', additionalProperties: { anyOf: [{ type: 'number' }, { type: 'array', minItems: 1, items: { type: 'number' } }] } },
    seed: { type: 'integer', default: 1 },
    targetOptions: { type: 'object', additionalProperties: { type: 'object' } },
    metadata: { type: 'object' },
    signatures: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' },
      additionalProperties: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
    },
    moduleOptions: { type: 'object', additionalProperties: { type: 'object' } },
    moduleOptionsFile: { type: 'string', minLength: 1 },
    sourceSignature: { anyOf: [{ type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$' }, { const: false }] },
  },
});

/**
 * Which weights `quantizeWeights` selects, by the name of their Const: every one without patterns,
 * otherwise those matching one of the globs (`*` for any run of characters). Shared by every
 * exporter that quantizes, so the option means the same for each target.
 */
export function quantizeWeightsFilter(patterns: readonly string[] | undefined): (name: string) => boolean {
  if (!patterns) return () => true;
  const regexps = patterns.map((glob) => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (name) => regexps.some((r) => r.test(name));
}
