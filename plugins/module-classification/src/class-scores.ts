import type { ModuleContext, SignatureTensor } from '@modelport/core';

/** The model output holding the class scores, and how many classes it scores per batch item. */
export interface ClassScores {
  readonly key: string;
  readonly tensor: SignatureTensor;
  readonly classCount: number;
}

/** Finds the scores output (named, or the only one) and checks it is [batch, …] with a static class count. */
export function findClassScores(ctx: ModuleContext, modelOutputs: Readonly<Record<string, SignatureTensor>>, wanted: string | undefined): ClassScores {
  const keys = Object.keys(modelOutputs);
  const key = wanted ?? (keys.length === 1 ? keys[0] : undefined);
  if (key === undefined) {
    ctx.fail(`the model has ${keys.length} outputs (${keys.join(', ') || 'none'}): name the one holding the class scores`, 'output');
  }
  const tensor = modelOutputs[key];
  if (!tensor) ctx.fail(`the model has no output "${key}" (it has ${keys.join(', ')})`, 'output');
  const shape = tensor.shape;
  const inner = shape ? shape.slice(1) : [];
  if (!shape || shape.length < 2 || inner.some((d) => !(d > 0))) {
    ctx.fail(`output "${key}" has shape [${shape?.join(', ') ?? 'unknown'}]: class scores must be [batch, classes…] with a known class count`, 'output');
  }
  if (tensor.dtype !== 'float32') ctx.fail(`output "${key}" is ${tensor.dtype}: class scores must be float32`, 'output');
  return { key, tensor, classCount: inner.reduce((a, b) => a * b, 1) };
}
