import { readFileSync } from 'node:fs';
import { ModelportError } from '@modelport/core';
import type { GridAnchors } from './options.js';

/** Anchors as [cy, cx, h, w] per anchor, normalised to the image, in one flat array. */
export type Anchors = Float32Array;

/**
 * SSD-style grid anchors: for each feature map, for each cell (row-major), for each aspect ratio
 * a box of area scale² centred on the cell. The order must be the model's: check it against the
 * training code, or give the anchors themselves. `anchorsPerCell` repeats a cell's anchors: MediaPipe's
 * fixed-size anchors are scale 1, aspect ratio 1 (h = w = 1), repeated per cell.
 */
export function gridAnchors(grid: GridAnchors): Anchors {
  if (grid.scales.length !== grid.featureMapSizes.length) {
    throw new ModelportError(`anchors: ${grid.featureMapSizes.length} feature maps but ${grid.scales.length} scales; give one scale per feature map`);
  }
  const ratios = grid.aspectRatios ?? [1];
  const out: number[] = [];
  if (grid.anchorsPerCell && grid.anchorsPerCell.length !== grid.featureMapSizes.length) {
    throw new ModelportError(`anchors: ${grid.featureMapSizes.length} feature maps but ${grid.anchorsPerCell.length} anchorsPerCell; give one count per feature map`);
  }
  grid.featureMapSizes.forEach(([rows, cols], m) => {
    const scale = grid.scales[m]!;
    const repeats = grid.anchorsPerCell?.[m] ?? 1;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        for (let r = 0; r < repeats; r++) {
          for (const ar of ratios) out.push((i + 0.5) / rows, (j + 0.5) / cols, scale / Math.sqrt(ar), scale * Math.sqrt(ar));
        }
      }
    }
  });
  return Float32Array.from(out);
}

export function loadAnchors(spec: string | readonly (readonly number[])[] | GridAnchors, resolve: (file: string) => string): Anchors {
  if (typeof spec === 'string') {
    const file = resolve(spec);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ModelportError(`cannot read the anchors: ${(e as Error).message}`, { file });
    }
    if (!Array.isArray(json) || !json.every((a) => Array.isArray(a) && a.length === 4 && a.every((v) => typeof v === 'number'))) {
      throw new ModelportError('anchors must be a JSON list of [cy, cx, h, w]', { file });
    }
    return Float32Array.from((json as number[][]).flat());
  }
  if (Array.isArray(spec)) return Float32Array.from((spec as number[][]).flat());
  return gridAnchors(spec as GridAnchors);
}
