import type { Shape } from '@modelport/core';

/**
 * A tensor of the ONNX graph being built, with what the exporter knows of it: the IR dtype, the
 * shape (-1 unknown dims, null unknown rank) and, for small constants and folded shape arithmetic,
 * the contents (row-major numbers; bool as 0/1).
 */
export interface Value {
  readonly name: string;
  readonly dtype: string;
  readonly shape: Shape;
  readonly known?: readonly number[];
  /** A vector 0, 1, …, n−1 whose length is known only at run time (a Range from 0 by 1). */
  readonly iota?: boolean;
}

/** What an emitted op's output is: its dtype, shape and, if computed at export time, its contents. */
export interface OutSpec {
  readonly dtype: string;
  readonly shape: Shape;
  readonly known?: readonly number[];
  readonly iota?: boolean;
}


/** Whether every dimension is known. Not a type guard: a false answer says nothing about null. */
export function isStatic(shape: Shape): boolean {
  return shape !== null && shape.every((d) => d >= 0);
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** The shape when every dimension is known. */
export function staticShape(shape: Shape): readonly number[] | undefined {
  return shape !== null && shape.every((d) => d >= 0) ? shape : undefined;
}
