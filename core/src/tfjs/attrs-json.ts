import type { AttrList, AttrValue } from '../graph/attrs.js';
import { dtypeFromTf, dtypeToTf } from '../graph/dtype.js';
import type { TfjsTensorShapeJson } from './model-json.js';

// AttrValue as proto3 JSON (tfjs model.json) ↔ the IR's decoded form.

export function shapeFromTfjsJson(shape: TfjsTensorShapeJson | undefined): number[] | null {
  if (!shape || shape.unknownRank) return shape ? null : [];
  return (shape.dim ?? []).map((d) => (d.size === undefined ? 0 : Number(d.size)));
}

export function shapeToJson(shape: readonly number[] | null): TfjsTensorShapeJson {
  if (shape === null) return { unknownRank: true };
  return shape.length ? { dim: shape.map((size) => ({ size: String(size) })) } : {};
}

const decodeBytes = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const encodeBytes = (s: string) => Buffer.from(s, 'utf8').toString('base64');

function floatFromJson(f: unknown): number {
  return typeof f === 'number' ? f : Number(f); // proto3 JSON writes "NaN", "Infinity" as strings
}

export function attrFromJson(v: Record<string, any>): AttrValue {
  if ('list' in v) {
    const l = v.list ?? {};
    const list: AttrList = {
      ...(l.i ? { i: l.i.map(Number) } : {}),
      ...(l.f ? { f: l.f.map(floatFromJson) } : {}),
      ...(l.b ? { b: l.b } : {}),
      ...(l.s ? { s: l.s.map(decodeBytes) } : {}),
      ...(l.type ? { type: l.type.map(dtypeFromTf) } : {}),
      ...(l.shape ? { shape: l.shape.map(shapeFromTfjsJson) } : {}),
    };
    return { list };
  }
  if ('i' in v) return { i: Number(v.i) };
  if ('f' in v) return { f: floatFromJson(v.f) };
  if ('b' in v) return { b: Boolean(v.b) };
  if ('s' in v) return { s: decodeBytes(v.s) };
  if ('type' in v) return { type: dtypeFromTf(v.type) };
  if ('shape' in v) return { shape: shapeFromTfjsJson(v.shape) };
  if ('tensor' in v) return { tensor: { dtype: dtypeFromTf(v.tensor.dtype ?? 'DT_FLOAT'), shape: shapeFromTfjsJson(v.tensor.tensorShape) ?? [] } };
  if ('func' in v) return { func: { name: v.func.name, ...(v.func.attr ? { attr: attrsFromJson(v.func.attr) } : {}) } };
  return { list: {} }; // an empty AttrValue: TF writes `{}` for an empty list
}

export function attrsFromJson(attrs: Record<string, Record<string, any>> | undefined): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) out[k] = attrFromJson(v);
  return out;
}

function floatToJson(f: number): number | string {
  return Number.isFinite(f) ? f : String(f);
}

export function attrToJson(v: AttrValue): Record<string, unknown> {
  if ('list' in v) {
    const l = v.list;
    return {
      list: {
        ...(l.i ? { i: l.i.map(String) } : {}),
        ...(l.f ? { f: l.f.map(floatToJson) } : {}),
        ...(l.b ? { b: l.b } : {}),
        ...(l.s ? { s: l.s.map(encodeBytes) } : {}),
        ...(l.type ? { type: l.type.map(dtypeToTf) } : {}),
        ...(l.shape ? { shape: l.shape.map(shapeToJson) } : {}),
      },
    };
  }
  if ('i' in v) return { i: String(v.i) };
  if ('f' in v) return { f: floatToJson(v.f) };
  if ('b' in v) return { b: v.b };
  if ('s' in v) return { s: encodeBytes(v.s) };
  if ('type' in v) return { type: dtypeToTf(v.type) };
  if ('shape' in v) return { shape: shapeToJson(v.shape) };
  if ('tensor' in v) return { tensor: { dtype: dtypeToTf(v.tensor.dtype), tensorShape: shapeToJson(v.tensor.shape) } };
  return { func: { name: v.func.name, ...(v.func.attr ? { attr: attrsToJson(v.func.attr) } : {}) } };
}

export function attrsToJson(attrs: Readonly<Record<string, AttrValue>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) out[k] = attrToJson(v);
  return out;
}
