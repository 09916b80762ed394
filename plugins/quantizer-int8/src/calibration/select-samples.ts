/** Every HOLD_OUT_EVERY-th sample is kept apart to measure accuracy on data the ranges never saw. */
export const HOLD_OUT_EVERY = 5;

/**
 * Which samples of `count` set the ranges (up to `steps`) and which are held out: every 5th,
 * and at least one when there are two or more. Reading stops once `steps` calibration samples are taken.
 */
export function selectSamples(count: number, steps: number): { calibrate: number[]; heldOut: number[] } {
  const calibrate: number[] = [];
  const heldOut: number[] = [];
  for (let i = 0; i < count && calibrate.length < steps; i++) {
    if (i % HOLD_OUT_EVERY === HOLD_OUT_EVERY - 1) heldOut.push(i);
    else calibrate.push(i);
  }
  if (heldOut.length === 0 && count >= 2 && calibrate.length > 0) {
    // Fewer than 5 samples: the last one is held out, and if steps stopped the reading, the next unread one is taken instead.
    const next = calibrate[calibrate.length - 1]! + 1;
    heldOut.push(next < count ? next : calibrate.pop()!);
  }
  return { calibrate, heldOut };
}
