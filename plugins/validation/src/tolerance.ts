/** Tolerance relative to max|ref| when the user sets none: exact formats get 1e-4, quantized weights more. */
export const DEFAULT_TOLERANCE: Readonly<Record<string, number>> = Object.freeze({ none: 1e-4, float16: 1e-2, uint16: 1e-2, uint8: 1e-1 });
