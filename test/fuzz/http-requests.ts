import { mutateJson, type Json } from './json-mutations.js';
import type { SeededRandom } from './random.js';

/** One request as sent on the wire: path exactly as written, body as text. */
export interface FuzzRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly contentType?: string;
  readonly body?: string;
  readonly description: string;
}

/** The served model: its name and the one input's name and per-row shape. */
export interface ServedModelShape {
  readonly name: string;
  readonly input: string;
  readonly rowShape: readonly number[];
}

const ODD_NAMES: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', '..', '%2e%2e', '%00', 'a'.repeat(5000), 'ünï', '%ZZ', ''];

const row = (shape: readonly number[], rng: SeededRandom): Json => (shape.length
  ? Array.from({ length: shape[0]! }, () => row(shape.slice(1), rng))
  : Math.round(rng.next() * 100) / 100);

function deep(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** The valid body of a protocol's predict call, for mutations to start from. */
function validBody(protocol: 'tf-serving' | 'kserve', model: ServedModelShape, rng: SeededRandom): Json {
  const x = row([1, ...model.rowShape], rng);
  if (protocol === 'tf-serving') return rng.chance(0.5) ? { instances: x } : { signature_name: 'serving_default', inputs: { [model.input]: x } };
  return { id: 'r', inputs: [{ name: model.input, shape: [1, ...model.rowShape], datatype: 'FP32', data: (x as Json[]).flat(Infinity as 1) as Json }] };
}

/** One client mistake (or a valid call, now and then) against TF Serving REST or KServe v2. */
export function fuzzRequest(protocol: 'tf-serving' | 'kserve', model: ServedModelShape, rng: SeededRandom): FuzzRequest {
  const predictPath = protocol === 'tf-serving' ? `/v1/models/${model.name}:predict` : `/v2/models/${model.name}/infer`;
  const json = 'application/json';
  switch (rng.int(8)) {
    case 0: {
      const name = rng.pick(ODD_NAMES);
      const path = protocol === 'tf-serving'
        ? rng.pick([`/v1/models/${name}`, `/v1/models/${name}/metadata`, `/v1/models/${name}:predict`, `/v1/models/${model.name}/versions/${name}`, `/v1/models/${model.name}/labels/${name}`])
        : rng.pick([`/v2/models/${name}`, `/v2/models/${name}/ready`, `/v2/models/${name}/infer`, `/v2/models/${model.name}/versions/${name}/infer`]);
      const post = path.endsWith('predict') || path.endsWith('infer');
      return { method: post ? 'POST' : 'GET', path, ...(post ? { contentType: json, body: JSON.stringify(validBody(protocol, model, rng)) } : {}), description: `name "${name.slice(0, 20)}" in ${path.slice(0, 60)}` };
    }
    case 1: {
      const text = JSON.stringify(validBody(protocol, model, rng));
      const bad = rng.pick([text.slice(0, rng.int(text.length)), `${text}}`, '', 'null', '"x"', '1', `{"instances":${deep(rng.pick([100, 5000, 100_000]))}}`, '{"a":1,"a":2}', '\u0000']);
      return { method: 'POST', path: predictPath, contentType: json, body: bad, description: `body ${JSON.stringify(bad.slice(0, 40))}…` };
    }
    case 2: {
      const contentType = rng.pick(['text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/jsonx']);
      return { method: 'POST', path: predictPath, contentType, body: JSON.stringify(validBody(protocol, model, rng)), description: `content-type ${contentType}` };
    }
    case 3: {
      const depth = rng.pick([64, 1000, 20_000]);
      const nested = JSON.parse(deep(Math.min(depth, 1000))) as Json;
      const body = protocol === 'tf-serving'
        ? `{"instances":${deep(depth)}}`
        : JSON.stringify({ inputs: [{ name: model.input, shape: [1], datatype: 'FP32', data: nested }] }).replace(deep(Math.min(depth, 1000)), deep(depth));
      return { method: 'POST', path: predictPath, contentType: json, body, description: `nesting ${depth} deep` };
    }
    case 4: {
      const dims = rng.pick([[2 ** 31, 1], [1e9, 1e9], [-1, 3], [0, ...model.rowShape], [2 ** 53], [1, ...model.rowShape.map(() => 1e6)], [1.5, 2], ['1', 2]]);
      const body = protocol === 'kserve'
        ? { inputs: [{ name: model.input, shape: dims as Json, datatype: 'FP32', data: [1, 2, 3] }] }
        : { inputs: { [model.input]: row([Math.min(Number(dims[0]) || 0, 3), ...model.rowShape.slice(0, 1)], rng) } };
      return { method: 'POST', path: predictPath, contentType: json, body: JSON.stringify(body), description: `shape ${JSON.stringify(dims)}` };
    }
    case 5: {
      const datatype = rng.pick(['FP64', 'BYTES', 'BOOL', 'INT64', 'UINT8', 'FP16', 'BF16', 'fp32', '', 'NOPE']);
      const body = protocol === 'kserve'
        ? { inputs: [{ name: model.input, shape: [1, ...model.rowShape], datatype, data: rng.chance(0.5) ? ['a', 'b'] : [true, null, {}] }] }
        : { instances: [rng.pick<Json>([{ b64: '!!!' }, 'text', true, null, { [model.input]: 'x' }, [[]], {}])] };
      return { method: 'POST', path: predictPath, contentType: json, body: JSON.stringify(body), description: protocol === 'kserve' ? `datatype ${datatype}` : `instance ${body.instances ? JSON.stringify(body.instances).slice(0, 40) : ''}` };
    }
    case 6: {
      const method = rng.pick(['GET', 'PUT'] as const);
      return { method, path: predictPath, description: `${method} on ${predictPath}` };
    }
    default: {
      const body = validBody(protocol, model, rng);
      const mutations = rng.chance(0.1) ? ['none'] : mutateJson(body, rng);
      return { method: 'POST', path: predictPath, contentType: json, body: JSON.stringify(body), description: `valid body, then ${mutations.join('; ')}` };
    }
  }
}
