import { bytesPerElement, isKnownDType, sizeOfShape } from '@modelport/core';
import { ServingError } from '../errors.js';

/** What one request's tensors may take once decoded. */
export interface TensorLimits {
  readonly maxTensorElements: number;
  readonly maxRequestTensorBytes: number;
}

// A string element holds at least a reference; its text is bounded by the body size.
const STRING_ELEMENT_BYTES = 8;

/**
 * Counts a request's inputs in from their shapes, before a value is decoded: one input past
 * limits.maxTensorElements, or all of them past limits.maxRequestTensorBytes (elements × bytes of
 * the dtype), is a 400 that names the input and the limit.
 */
export class TensorBudget {
  private bytes = 0;

  constructor(private readonly limits: TensorLimits) {}

  take(where: string, dtype: string, shape: readonly number[]): void {
    const count = sizeOfShape(shape);
    if (count > this.limits.maxTensorElements) {
      throw new ServingError('INVALID_ARGUMENT', `${where} has ${count} elements, more than the limit of ${this.limits.maxTensorElements} (limits.maxTensorElements)`);
    }
    const per = isKnownDType(dtype) && dtype !== 'string' ? bytesPerElement(dtype) : STRING_ELEMENT_BYTES;
    this.bytes += count * per;
    if (this.bytes > this.limits.maxRequestTensorBytes) {
      throw new ServingError('INVALID_ARGUMENT', `${where} brings the request's tensors to ${this.bytes} bytes (${count} × ${dtype}), more than the limit of ${this.limits.maxRequestTensorBytes} (limits.maxRequestTensorBytes)`);
    }
  }

  get taken(): number {
    return this.bytes;
  }
}
