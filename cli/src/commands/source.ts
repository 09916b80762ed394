import type { ModelSource } from '@modelport/core';

/** The loadModel source for a path given on the command line. */
export function sourceOf(file: string): ModelSource {
  return { format: 'tfjs', path: file };
}
