import { attrValue, GraphBuilder, seededRandom, sizeOfShape, tensorRef, type AttrValue, type DType, type Graph } from '@modelport/core';

/** An input of the op under test: fed at run time, or a constant (random values unless given). */
export type OpInput =
  | { readonly feed: readonly number[]; readonly dtype?: DType }
  | { readonly constant: readonly number[]; readonly dtype?: DType; readonly values?: readonly number[] };

export interface OpCase {
  readonly op: string;
  readonly inputs: readonly OpInput[];
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  /** How many outputs the op has (all become graph outputs). */
  readonly outputs?: number;
}

/** A graph of one op: Placeholders and Consts in, every output out. Float constants are uniform in [-1, 1). */
export function opGraph(c: OpCase, seed = 7): Graph {
  const b = new GraphBuilder();
  const random = seededRandom(seed);
  const refs = c.inputs.map((input, i) => {
    const dtype = input.dtype ?? 'float32';
    if ('feed' in input) return b.input(`x${i}`, dtype, input.feed);
    const values = input.values ?? Array.from({ length: sizeOfShape(input.constant) }, () => (dtype === 'float32' ? random() * 2 - 1 : Math.floor(random() * 5)));
    return b.constant(`c${i}`, dtype, input.constant, values);
  });
  b.node('op', { op: c.op, inputs: refs, attrs: { T: attrValue.dtype(c.inputs[0]?.dtype ?? 'float32'), ...c.attrs } });
  b.outputs(...Array.from({ length: c.outputs ?? 1 }, (_, i) => tensorRef('op', i)));
  return b.build();
}

/** Attributes of a windowed op (conv, pool) in TensorFlow's NHWC form. */
export function windowAttrs(o: { strides?: [number, number]; padding?: string; dilations?: [number, number]; ksize?: [number, number]; explicit?: number[] }): Record<string, AttrValue> {
  const [sh, sw] = o.strides ?? [1, 1];
  const [dh, dw] = o.dilations ?? [1, 1];
  return {
    strides: attrValue.ints([1, sh, sw, 1]), padding: attrValue.string(o.padding ?? 'SAME'), data_format: attrValue.string('NHWC'),
    dilations: attrValue.ints([1, dh, dw, 1]),
    ...(o.ksize ? { ksize: attrValue.ints([1, o.ksize[0], o.ksize[1], 1]) } : {}),
    ...(o.explicit ? { explicit_paddings: attrValue.ints(o.explicit) } : {}),
  };
}
