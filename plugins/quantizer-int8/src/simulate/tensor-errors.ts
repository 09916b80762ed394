import type { TensorData } from '@modelport/core';

/** Running error statistics of one tensor: simulated − float, over every element of every sample. */
export class ErrorAccumulator {
  private count = 0;
  private sumSquares = 0;
  private sum = 0;
  private max = 0;
  private sumSquaresFloat = 0;

  add(float: TensorData, simulated: TensorData): void {
    const f = float.data as ArrayLike<number>, s = simulated.data as ArrayLike<number>;
    for (let i = 0; i < f.length; i++) {
      const d = s[i]! - f[i]!;
      if (!Number.isFinite(d)) continue;
      this.count++;
      this.sum += d;
      this.sumSquares += d * d;
      this.sumSquaresFloat += f[i]! * f[i]!;
      if (Math.abs(d) > this.max) this.max = Math.abs(d);
    }
  }

  get rmse(): number { return this.count ? Math.sqrt(this.sumSquares / this.count) : 0; }
  get meanError(): number { return this.count ? this.sum / this.count : 0; }
  get maxError(): number { return this.max; }
  /** RMS of the float values, so errors of tensors of different magnitudes compare. */
  get rms(): number { return this.count ? Math.sqrt(this.sumSquaresFloat / this.count) : 0; }
}
