import { validateOptions, type JsonSchema } from '@modelport/core';
import { LABEL_PATTERN, MODEL_NAME_PATTERN } from './model-names.js';
import { SERVE_OPTIONS_SCHEMA, type BatchingOptions } from './options.js';
import { DEFAULT_VERSION_POLICY, type VersionPolicy } from './version-policy.js';
import { ownValue } from './own.js';

/** How one model is served. */
export interface ModelConfig {
  readonly versionPolicy: VersionPolicy;
  /** Version labels (stable, canary…) → version numbers, for `/labels/{label}`. */
  readonly labels: Readonly<Record<string, number>>;
  /** Artifact formats to prefer, in order; by default the order of export.json's targets. */
  readonly formats?: readonly string[];
  /** Passed to the runtime as ServeRequest.options. */
  readonly runtimeOptions?: Readonly<Record<string, unknown>>;
  readonly adapter?: { readonly name: string; readonly options?: Readonly<Record<string, unknown>> };
  readonly batching?: Partial<BatchingOptions>;
  /** Replay a warm-up sample before the version is AVAILABLE (the server's warmup.enabled by default). */
  readonly warmup?: boolean;
}

export interface ModelsConfig {
  /** Serve every model folder of the repository, not only those listed in `models`. */
  readonly discover: boolean;
  readonly models: Readonly<Record<string, ModelConfig>>;
}

/** The config as written, before defaults. */
export type ModelsConfigInput = Readonly<Record<string, unknown>>;

const batching = (SERVE_OPTIONS_SCHEMA.properties as Record<string, Record<string, unknown>>).batching!;

export const MODEL_CONFIG_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    discover: { type: 'boolean', default: true },
    models: {
      type: 'object',
      default: {},
      propertyNames: { pattern: MODEL_NAME_PATTERN },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          versionPolicy: {
            oneOf: [
              { type: 'object', additionalProperties: false, required: ['latest'], properties: { latest: { type: 'integer', minimum: 1 } } },
              { type: 'object', additionalProperties: false, required: ['all'], properties: { all: { const: true } } },
              { type: 'object', additionalProperties: false, required: ['specific'], properties: { specific: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 1 } } } },
            ],
          },
          labels: { type: 'object', propertyNames: { pattern: LABEL_PATTERN }, additionalProperties: { type: 'integer', minimum: 1 } },
          formats: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          runtimeOptions: { type: 'object' },
          adapter: {
            type: 'object', additionalProperties: false, required: ['name'],
            properties: { name: { type: 'string', minLength: 1 }, options: { type: 'object' } },
          },
          batching: withoutDefaults(batching),
          warmup: { type: 'boolean' },
        },
      },
    },
  },
});

// A model's batching keeps unset keys unset, so that the server-wide defaults fill them.
function withoutDefaults(schema: Record<string, unknown>): Record<string, unknown> {
  const omit = (o: object) => Object.fromEntries(Object.entries(o).filter(([key]) => key !== 'default'));
  const properties = Object.fromEntries(Object.entries(schema.properties as Record<string, object>).map(([k, v]) => [k, omit(v)]));
  return { ...omit(schema), properties };
}

/** Validates a model config (ajv through core's validateOptions) and fills defaults; `where` names its file. */
export function parseModelsConfig(value: unknown, where: string): ModelsConfig {
  const checked = validateOptions<{ discover: boolean; models: Record<string, Partial<ModelConfig>> }>(MODEL_CONFIG_SCHEMA, value, `model config ${where}`);
  const models = Object.fromEntries(Object.entries(checked.models).map(([name, m]) => [name, {
    ...m, versionPolicy: m.versionPolicy ?? DEFAULT_VERSION_POLICY, labels: m.labels ?? {},
  } as ModelConfig]));
  return { discover: checked.discover, models };
}

export function modelConfigOf(config: ModelsConfig, model: string): ModelConfig {
  return ownValue(config.models, model) ?? { versionPolicy: DEFAULT_VERSION_POLICY, labels: {} };
}
