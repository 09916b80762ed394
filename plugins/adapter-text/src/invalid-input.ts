import { ModelportError } from '@modelport/core';

/** The request's data is wrong (not text): servers answer 400 for errors of this name. */
export class InvalidInputError extends ModelportError {}
