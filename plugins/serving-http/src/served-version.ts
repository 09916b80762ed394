import type { Signature, TensorData } from '@modelport/core';
import type { StatusCode } from './errors.js';
import type { LoadedVersion } from './loader.js';

/** TF Serving's ModelVersionStatus.State, which both status APIs report. */
export type VersionState = 'START' | 'LOADING' | 'AVAILABLE' | 'UNLOADING' | 'END';

/**
 * One version of a model in the server: its state, its error when a load failed, and the count
 * of requests using it, so that unloading waits for them (availability-preserving swaps).
 */
export class ServedVersion {
  state: VersionState = 'START';
  error?: { readonly code: StatusCode; readonly message: string };
  /** Fingerprint of the files it was loaded (or failed to load) from. */
  stamp = '';
  private loaded?: LoadedVersion;
  private inflight = 0;
  private idle: (() => void)[] = [];

  constructor(readonly model: string, readonly version: number, readonly dir: string) {}

  get runtime(): LoadedVersion | undefined {
    return this.loaded;
  }

  get signatures(): Readonly<Record<string, Signature>> {
    return this.loaded?.predictor.signatures ?? {};
  }

  available(loaded: LoadedVersion): void {
    this.loaded = loaded;
    this.state = 'AVAILABLE';
  }

  failed(code: StatusCode, message: string): void {
    this.state = 'END';
    this.error = { code, message };
  }

  /** Counts a request in; false when the version is not (or no longer) AVAILABLE. */
  acquire(): boolean {
    if (this.state !== 'AVAILABLE') return false;
    this.inflight++;
    return true;
  }

  release(): void {
    this.inflight--;
    if (this.inflight === 0) for (const resolve of this.idle.splice(0)) resolve();
  }

  /** Runs a request: through the batcher when the model batches, else straight to the predictor. */
  predict(inputs: Readonly<Record<string, TensorData>>, signature: string, signal?: AbortSignal): Promise<Record<string, TensorData>> {
    const loaded = this.loaded!;
    return loaded.batcher ? loaded.batcher.predict(inputs, signature, signal) : loaded.predictor.predict(inputs, signature);
  }

  /** Stops taking requests, waits (at most drainMs) for those in flight, then frees the runtime. */
  async unload(drainMs: number): Promise<void> {
    if (this.state !== 'AVAILABLE') return;
    this.state = 'UNLOADING';
    if (this.inflight > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.idle.push(resolve)),
        new Promise<void>((resolve) => { timer = setTimeout(resolve, drainMs); }),
      ]);
      clearTimeout(timer);
    }
    const loaded = this.loaded;
    this.loaded = undefined;
    this.state = 'END';
    await loaded?.predictor.dispose();
  }
}
