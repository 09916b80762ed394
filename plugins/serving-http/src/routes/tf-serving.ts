import type { FastifyInstance, FastifyRequest } from 'fastify';
import { decodePredictRequest, encodeColumns, encodeRows, type PredictBody } from '../codecs/tf-serving-json.js';
import { signatureDefMetadata } from '../codecs/signature-def.js';
import { ServingError } from '../errors.js';
import { acquireVersion, predictOn } from '../inference.js';
import { PREDICT_BODY_SCHEMA } from '../request-schemas.js';
import { signatureOf } from '../signature-check.js';
import { labelRequest, type ServingContext } from './context.js';
import { parseTfServingPath, type TfServingTarget } from './tf-serving-path.js';

function target(ctx: ServingContext, request: FastifyRequest): TfServingTarget {
  const parsed = parseTfServingPath(request.url);
  labelRequest(ctx, request, parsed.model, `v1/${parsed.action}`);
  return parsed;
}

/**
 * TF Serving's REST API: model status, metadata (signature_def) and predict in row ("instances")
 * and columnar ("inputs") formats, with versions and labels, errors as {"error": "…"}.
 */
export function registerTfServingRoutes(app: FastifyInstance, ctx: ServingContext): void {
  app.get('/v1/models/*', async (request) => {
    const t = target(ctx, request);
    const selector = { ...(t.version ? { version: t.version } : {}), ...(t.label ? { label: t.label } : {}) };
    if (t.action === 'status') return { model_version_status: ctx.manager.status(t.model, selector) };
    if (t.action === 'metadata') {
      const served = ctx.manager.resolve(t.model, selector);
      request.serving!.version = String(served.version);
      return signatureDefMetadata(t.model, served.version, served.signatures);
    }
    throw new ServingError('INVALID_ARGUMENT', `Malformed request: GET ${request.url.slice(0, 200)}; :${t.action} takes POST`);
  });

  app.post('/v1/models/*', { schema: { body: PREDICT_BODY_SCHEMA } }, async (request) => {
    const t = target(ctx, request);
    if (t.action === 'classify' || t.action === 'regress') {
      throw new ServingError('UNIMPLEMENTED', `:${t.action} is not supported (it needs tf.Example inputs); use :predict`);
    }
    if (t.action !== 'predict') throw new ServingError('INVALID_ARGUMENT', `Malformed request: POST ${request.url.slice(0, 200)}; POST goes to …:predict`);
    const served = acquireVersion(ctx.manager, t.model, { ...(t.version ? { version: t.version } : {}), ...(t.label ? { label: t.label } : {}) });
    request.serving!.version = String(served.version);
    const { decoded, outputs } = await predictOn(served, () => {
      const tensors = decodePredictRequest(request.body as PredictBody, served.signatures, ctx.settings.limits);
      request.body = undefined; // the parsed JSON is garbage once decoded, while the runtime works
      return tensors;
    }, ctx.settings.limits.requestTimeoutMs);
    const sig = signatureOf(served.signatures, decoded.signatureName);
    return decoded.format === 'row' ? encodeRows(outputs, sig) : encodeColumns(outputs, sig);
  });
}
