/**
 * Bilinear resize of interleaved `channels`-channel pixels, with half-pixel centres (as
 * tf.image.resize and PIL do): output pixel centre (x + 0.5) maps to input x' = (x + 0.5) × in/out − 0.5,
 * clamped at the borders. Returns floats, not rounded.
 */
export function resizeBilinear(
  pixels: ArrayLike<number>, width: number, height: number, channels: number, outWidth: number, outHeight: number,
): Float32Array {
  const out = new Float32Array(outWidth * outHeight * channels);
  const xs = samplePositions(width, outWidth);
  const ys = samplePositions(height, outHeight);
  for (let y = 0; y < outHeight; y++) {
    const { lo: y0, hi: y1, t: ty } = ys[y]!;
    for (let x = 0; x < outWidth; x++) {
      const { lo: x0, hi: x1, t: tx } = xs[x]!;
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number) => pixels[(yy * width + xx) * channels + c]!;
        const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * tx;
        const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * tx;
        out[(y * outWidth + x) * channels + c] = top + (bottom - top) * ty;
      }
    }
  }
  return out;
}

function samplePositions(size: number, outSize: number): { lo: number; hi: number; t: number }[] {
  const ratio = size / outSize;
  return Array.from({ length: outSize }, (_, i) => {
    const src = Math.min(size - 1, Math.max(0, (i + 0.5) * ratio - 0.5));
    const lo = Math.floor(src);
    return { lo, hi: Math.min(size - 1, lo + 1), t: src - lo };
  });
}
