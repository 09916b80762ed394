import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { decodeInferRequest, encodeInferResponse, tensorMetadata, type InferBody } from '../codecs/kserve-json.js';
import { acquireVersion, predictOn } from '../inference.js';
import { checkModelName, parseVersion } from '../model-names.js';
import { INFER_BODY_SCHEMA } from '../request-schemas.js';
import { defaultSignatureName, signatureOf } from '../signature-check.js';
import { labelRequest, type ServingContext } from './context.js';

interface ModelParams { name: string; version?: string }

function selectorOf(ctx: ServingContext, request: FastifyRequest, api: string): { model: string; version?: number } {
  const params = request.params as ModelParams;
  const model = checkModelName(params.name);
  const version = params.version === undefined ? undefined : parseVersion(params.version);
  labelRequest(ctx, request, model, `v2/${api}`);
  return { model, ...(version ? { version } : {}) };
}

/**
 * KServe's Open Inference Protocol v2 over REST: health, server and model metadata, model
 * readiness and infer with typed tensors. Errors are {"error": "…"} as the protocol says.
 * There are no signatures in v2: `parameters.signature_name` picks one, else serving_default (or
 * the model's only signature).
 */
export function registerKServeRoutes(app: FastifyInstance, ctx: ServingContext): void {
  app.get('/v2', async () => ({ name: 'modelport', version: ctx.serverVersion, extensions: [] }));
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async (_request, reply) => {
    const ready = ctx.manager.ready();
    return reply.code(ready ? 200 : 503).send({ ready });
  });

  const metadata = async (request: FastifyRequest) => {
    const { model, version } = selectorOf(ctx, request, 'metadata');
    const served = ctx.manager.resolve(model, version ? { version } : {});
    request.serving!.version = String(served.version);
    const sig = signatureOf(served.signatures, defaultSignatureName(served.signatures));
    return {
      name: model,
      versions: ctx.manager.availableVersions(model).map((v) => String(v.version)),
      platform: served.runtime?.format ?? '',
      inputs: tensorMetadata(sig.inputs),
      outputs: tensorMetadata(sig.outputs),
    };
  };
  app.get('/v2/models/:name', metadata);
  app.get('/v2/models/:name/versions/:version', metadata);

  const ready = async (request: FastifyRequest, reply: FastifyReply) => {
    const { model, version } = selectorOf(ctx, request, 'ready');
    const isReady = ctx.manager.isReady(model, version);
    // Beyond the protocol's {name, ready}: each version's state, and why a failed one failed.
    const versions = ctx.manager.status(model, version ? { version } : {}).map((s) => ({
      version: s.version, state: s.state, ...(s.status.error_code === 'OK' ? {} : { error_code: s.status.error_code, reason: s.status.error_message }),
    }));
    return reply.code(isReady ? 200 : 503).send({ name: model, ready: isReady, versions });
  };
  app.get('/v2/models/:name/ready', ready);
  app.get('/v2/models/:name/versions/:version/ready', ready);

  const infer = async (request: FastifyRequest) => {
    const { model, version } = selectorOf(ctx, request, 'infer');
    const { id, parameters } = request.body as InferBody;
    const served = acquireVersion(ctx.manager, model, version ? { version } : {});
    request.serving!.version = String(served.version);
    const signatureName = typeof parameters?.signature_name === 'string' ? parameters.signature_name : defaultSignatureName(served.signatures);
    const { decoded, outputs } = await predictOn(served, () => {
      const sig = signatureOf(served.signatures, signatureName);
      const tensors = decodeInferRequest(request.body as InferBody, sig, signatureName, ctx.settings.limits);
      request.body = undefined; // the parsed JSON is garbage once decoded, while the runtime works
      return { ...tensors, signatureName };
    }, ctx.settings.limits.requestTimeoutMs);
    return encodeInferResponse(model, served.version, id, outputs, signatureOf(served.signatures, signatureName), decoded.requested);
  };
  app.post('/v2/models/:name/infer', { schema: { body: INFER_BODY_SCHEMA } }, infer);
  app.post('/v2/models/:name/versions/:version/infer', { schema: { body: INFER_BODY_SCHEMA } }, infer);
}
