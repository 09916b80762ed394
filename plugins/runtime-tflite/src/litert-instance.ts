import { unloadLiteRt, type LiteRt } from '@litertjs/core';
import { silentLogger, type Logger } from '@modelport/core';
import { loadLiteRtInNode } from './litert-node.js';

/** What one exclusive use of the module printed, and whether it aborted. */
export interface LiteRtSession<T> {
  readonly result: T;
  readonly lines: readonly string[];
}

/**
 * The LiteRT.js module of this process (LiteRT keeps one global instance). Uses are serialised so
 * that the lines the module prints can be attributed to the run that printed them. After an
 * Abort() the module is unusable: the next use loads a fresh one, and `generation` tells models
 * compiled in the old one to compile again.
 */
class LiteRtInstance {
  logger: Logger = silentLogger;
  generation = 0;
  private loading?: Promise<LiteRt>;
  private current?: LiteRt;
  private aborted?: string;
  private capture?: string[];
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `fn` alone on the module; lines the module prints meanwhile come back with its result. */
  exclusive<T>(fn: (liteRt: LiteRt) => Promise<T>): Promise<LiteRtSession<T>> {
    const run = async (): Promise<LiteRtSession<T>> => {
      if (this.aborted) this.reset();
      const liteRt = await this.module();
      const lines: string[] = [];
      this.capture = lines;
      try {
        const result = await fn(liteRt);
        if (this.aborted) throw new Error(`the TFLite runtime aborted (${this.aborted}); a fresh one is loaded for the next call`);
        return { result, lines };
      } catch (e) {
        if (this.aborted) this.reset();
        throw Object.assign(e instanceof Error ? e : new Error(String(e)), { liteRtLines: lines });
      } finally {
        this.capture = undefined;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private module(): Promise<LiteRt> {
    this.loading ??= loadLiteRtInNode({
      line: (text) => { if (this.capture) this.capture.push(text); else this.logger.debug(`litert: ${text}`); },
      abort: (what) => { this.aborted = what; },
    }).then((liteRt) => { this.current = liteRt; return liteRt; }, (e) => { this.loading = undefined; throw e; });
    return this.loading;
  }

  /** Drops an aborted module so that the next use loads a new one. */
  private reset(): void {
    // Its wasm memory is gone: nothing left to free, and freeing would call into the dead module.
    (this.current as unknown as { objectsToDelete?: Set<unknown> } | undefined)?.objectsToDelete?.clear();
    try {
      unloadLiteRt();
    } catch (e) {
      this.logger.debug(`litert: unloading the aborted module: ${(e as Error).message}`);
    }
    this.current = undefined;
    this.loading = undefined;
    this.aborted = undefined;
    this.generation++;
  }
}

export const liteRtInstance = new LiteRtInstance();
