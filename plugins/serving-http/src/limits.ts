import { ServingError } from './errors.js';

/**
 * Resolves with `work` or rejects with DEADLINE_EXCEEDED after `ms`, aborting `controller` so
 * that queued work (a batch not yet run) is dropped. Work already running in the runtime cannot
 * be interrupted; it finishes and its result is discarded.
 */
export function withDeadline<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, what: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new ServingError('DEADLINE_EXCEEDED', `${what} took longer than ${ms} ms (limits.requestTimeoutMs)`));
    }, ms);
  });
  const running = work(controller.signal);
  return Promise.race([running, deadline]).finally(() => clearTimeout(timer));
}
