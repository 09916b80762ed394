import { InvalidInputError, ModelportError, OptionsError, type ErrorLocation } from '@modelport/core';

/** gRPC canonical codes: TF Serving reports load and request failures with them, in status and errors. */
export type StatusCode =
  | 'OK' | 'CANCELLED' | 'UNKNOWN' | 'INVALID_ARGUMENT' | 'DEADLINE_EXCEEDED' | 'NOT_FOUND'
  | 'ALREADY_EXISTS' | 'PERMISSION_DENIED' | 'RESOURCE_EXHAUSTED' | 'FAILED_PRECONDITION' | 'ABORTED'
  | 'OUT_OF_RANGE' | 'UNIMPLEMENTED' | 'INTERNAL' | 'UNAVAILABLE' | 'DATA_LOSS' | 'UNAUTHENTICATED';

// The mapping of TF Serving's http_server.cc, so that clients see the codes they already handle.
const HTTP_STATUS: Readonly<Record<StatusCode, number>> = Object.freeze({
  OK: 200, CANCELLED: 499, UNKNOWN: 500, INVALID_ARGUMENT: 400, DEADLINE_EXCEEDED: 504, NOT_FOUND: 404,
  ALREADY_EXISTS: 409, PERMISSION_DENIED: 403, RESOURCE_EXHAUSTED: 429, FAILED_PRECONDITION: 400, ABORTED: 409,
  OUT_OF_RANGE: 400, UNIMPLEMENTED: 501, INTERNAL: 500, UNAVAILABLE: 503, DATA_LOSS: 500, UNAUTHENTICATED: 401,
});

/** A failure of a request or of a version load, with the status code clients and status pages see. */
export class ServingError extends ModelportError {
  constructor(readonly code: StatusCode, detail: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(detail, location, options);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export function httpStatusOf(code: StatusCode): number {
  return HTTP_STATUS[code];
}

/** What a thrown value means for the client: core's InvalidInputError and OptionsError are the client's mistakes. */
export function toServingError(error: unknown): ServingError {
  if (error instanceof ServingError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (causes(error).some((e) => e instanceof InvalidInputError || e instanceof OptionsError)) return new ServingError('INVALID_ARGUMENT', message, {}, { cause: error });
  return new ServingError('INTERNAL', message, {}, { cause: error });
}

function causes(error: unknown): Error[] {
  const out: Error[] = [];
  for (let e = error; e instanceof Error && out.length < 10; e = e.cause) out.push(e);
  return out;
}
