import { dtypeToTf, type AttrValue, type ConstantTensor } from '@modelport/core';
import { shapeProto, tensorProtoOf } from './tensor-proto.js';

const bytes = (s: string) => Buffer.from(s, 'utf8');

/**
 * The IR's decoded attribute back to an AttrValue message object: strings as bytes, dtypes as
 * DT_ names, shapes as TensorShapeProto. A tensor attr takes its values from `value` (Const).
 */
export function attrProto(v: AttrValue, value?: ConstantTensor): Record<string, unknown> {
  if ('list' in v) {
    const l = v.list;
    return {
      list: {
        ...(l.s ? { s: l.s.map(bytes) } : {}),
        ...(l.i ? { i: [...l.i] } : {}),
        ...(l.f ? { f: [...l.f] } : {}),
        ...(l.b ? { b: [...l.b] } : {}),
        ...(l.type ? { type: l.type.map(dtypeToTf) } : {}),
        ...(l.shape ? { shape: l.shape.map(shapeProto) } : {}),
      },
    };
  }
  if ('i' in v) return { i: v.i };
  if ('f' in v) return { f: v.f };
  if ('b' in v) return { b: v.b };
  if ('s' in v) return { s: bytes(v.s) };
  if ('type' in v) return { type: dtypeToTf(v.type) };
  if ('shape' in v) return { shape: shapeProto(v.shape) };
  if ('tensor' in v) {
    const c = value ?? v.tensor.value;
    if (!c) throw new Error('a tensor attribute without its values');
    return { tensor: tensorProtoOf(c) };
  }
  return { func: { name: v.func.name, attr: Object.fromEntries(Object.entries(v.func.attr ?? {}).map(([k, a]) => [k, attrProto(a)])) } };
}
