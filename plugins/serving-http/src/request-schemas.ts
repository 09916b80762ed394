import type { JsonSchema } from '@modelport/core';

/**
 * The JSON bodies the server accepts, checked by fastify's ajv before a handler runs. Only the
 * envelope is described: tensor values are checked while they are decoded, against the signature.
 */
export const PREDICT_BODY_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  properties: {
    signature_name: { type: 'string' },
    instances: { type: 'array' },
    inputs: {},
    // :classify and :regress bodies, refused later with 501 rather than as malformed
    examples: { type: 'array' },
    context: { type: 'object' },
  },
});

const V2_DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'];

export const INFER_BODY_SCHEMA: JsonSchema = Object.freeze({
  type: 'object',
  additionalProperties: false,
  required: ['inputs'],
  properties: {
    id: { type: 'string' },
    parameters: { type: 'object' },
    inputs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'shape', 'datatype', 'data'],
        properties: {
          name: { type: 'string', minLength: 1 },
          shape: { type: 'array', items: { type: 'integer', minimum: 0 } },
          datatype: { enum: V2_DATATYPES },
          parameters: { type: 'object' },
          data: {},
        },
      },
    },
    outputs: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string', minLength: 1 }, parameters: { type: 'object' } },
      },
    },
  },
});
