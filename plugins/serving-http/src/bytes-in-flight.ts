import { ServingError } from './errors.js';

interface Waiter {
  readonly bytes: number;
  readonly grant: () => void;
}

/**
 * A semaphore on request bytes: the JSON text of a body, the values parsed from it and the
 * tensors decoded from those are all in memory at once, so concurrent large requests multiply
 * the server's memory. Requests take their body size before it is read and give it back once
 * answered; those that do not fit wait, in order of arrival, at most `waitMs`.
 */
export class BytesInFlight {
  private used = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly capacity: number) {}

  get inUse(): number {
    return this.used;
  }

  async acquire(bytes: number, waitMs: number): Promise<void> {
    const want = Math.min(bytes, this.capacity); // one body larger than the whole runs alone
    if (this.queue.length === 0 && this.used + want <= this.capacity) {
      this.used += want;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { bytes: want, grant: () => { clearTimeout(timer); resolve(); } };
      const timer = setTimeout(() => {
        this.queue.splice(this.queue.indexOf(waiter), 1);
        this.grantWaiting();
        reject(new ServingError('UNAVAILABLE', `the server is busy with ${this.used} bytes of requests (limits.maxBodyBytesInFlight ${this.capacity}); retry later`));
      }, waitMs);
      this.queue.push(waiter);
    });
  }

  release(bytes: number): void {
    this.used -= Math.min(bytes, this.capacity);
    this.grantWaiting();
  }

  private grantWaiting(): void {
    while (this.queue.length && this.used + this.queue[0]!.bytes <= this.capacity) {
      const next = this.queue.shift()!;
      this.used += next.bytes;
      next.grant();
    }
  }
}
