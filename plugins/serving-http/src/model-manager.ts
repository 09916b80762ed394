import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@modelport/core';
import type { ConfigSource } from './config-source.js';
import { ServingError, toServingError } from './errors.js';
import type { LoadedVersion } from './loader.js';
import type { ServingMetrics } from './metrics.js';
import { modelConfigOf, type ModelConfig } from './model-config.js';
import { listModels, ManifestCache, scanModel, versionStamp, type VersionOnDisk } from './repository.js';
import { ServedVersion } from './served-version.js';
import { withoutServerPaths } from './public-text.js';
import { candidateVersions } from './version-policy.js';
import { ownValue } from './own.js';

/** Which version a request asks for: the latest AVAILABLE, a number, or a label. */
export interface VersionSelector {
  readonly version?: number;
  readonly label?: string;
}

/** One entry of TF Serving's model_version_status. */
export interface VersionStatus {
  readonly version: string;
  readonly state: string;
  readonly status: { readonly error_code: string; readonly error_message: string };
}

export interface ModelManagerDeps {
  readonly repository: string;
  readonly config: ConfigSource;
  readonly metrics: ServingMetrics;
  readonly logger: Logger;
  readonly drainMs: number;
  load(v: VersionOnDisk, config: ModelConfig): Promise<LoadedVersion>;
}

/**
 * The models being served and their versions. `reconcile` brings them in line with the repository
 * and the version policy: versions the policy wants are loaded (newest first) and become
 * AVAILABLE; versions it no longer wants are unloaded only once a wanted one is AVAILABLE, so a
 * model never goes down for a swap or for a version that fails to load. A version whose folder is
 * deleted is unloaded.
 */
export class ModelManager {
  private readonly models = new Map<string, Map<number, ServedVersion>>();
  private running?: Promise<void>;
  private rerun = false;
  private timer?: NodeJS.Timeout;
  private closed = false;
  private scanned = false;
  private readonly manifests = new ManifestCache();
  /** Folders skipped at the last scans and why: each is logged when first seen or its reason changes. */
  private readonly skipped = new Map<string, string>();

  constructor(private readonly deps: ModelManagerDeps) {}

  /** One pass over the repository; concurrent calls share a pass (and ask for one more). */
  reconcile(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.rerun = false;
          await this.reconcileOnce();
        } while (this.rerun && !this.closed);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Scans every `seconds` (after each pass ends, so passes never overlap). */
  poll(seconds: number): void {
    if (seconds <= 0 || this.closed) return;
    this.timer = setTimeout(() => {
      this.reconcile().catch((e) => this.deps.logger.warn(`repository scan failed: ${(e as Error).message}`)).finally(() => this.poll(seconds));
    }, seconds * 1000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    for (const versions of this.models.values()) {
      await Promise.all([...versions.values()].map((v) => v.unload(this.deps.drainMs)));
    }
  }

  private async reconcileOnce(): Promise<void> {
    const problem = await this.deps.config.refresh();
    if (problem) this.deps.logger.warn(`${problem.message}; keeping the last good model config`);
    const config = this.deps.config.config;
    const skippedNow = new Map<string, string>();
    const skip = (folder: string, why: string) => skippedNow.set(folder, why);
    const onDisk = new Set(config.discover ? await listModels(this.deps.repository, skip) : []);
    for (const name of Object.keys(config.models)) if (existsSync(path.join(this.deps.repository, name))) onDisk.add(name);
    for (const name of new Set([...onDisk, ...this.models.keys()])) {
      if (this.closed) return;
      await this.reconcileModel(name, onDisk.has(name) ? await scanModel(this.deps.repository, name, this.manifests, skip) : [], modelConfigOf(config, name));
    }
    for (const [folder, why] of skippedNow) {
      if (this.skipped.get(folder) !== why) this.deps.logger.warn(`${path.join(this.deps.repository, folder)}: not served: ${why}`);
    }
    this.skipped.clear();
    for (const [folder, why] of skippedNow) this.skipped.set(folder, why);
    this.scanned = true;
  }

  private async reconcileModel(name: string, onDisk: readonly VersionOnDisk[], config: ModelConfig): Promise<void> {
    let versions = this.models.get(name);
    if (!versions) this.models.set(name, versions = new Map());
    const present = onDisk.map((v) => v.version);
    // Newest first until the policy's count serve; a version that fails is passed over for the next.
    const { candidates, wanted } = candidateVersions(config.versionPolicy, present);
    const serving: number[] = [];
    for (const number of candidates) {
      if (this.closed) return;
      if (serving.length >= wanted) break;
      const disk = onDisk.find((v) => v.version === number)!;
      const served = versions.get(number);
      if (served?.state === 'AVAILABLE' || served?.state === 'LOADING') {
        serving.push(number);
        continue;
      }
      if (served && served.state !== 'END') continue;
      const stamp = await versionStamp(disk);
      if (served?.error && served.stamp === stamp) continue; // failed, and nothing changed since
      await this.load(versions, disk, config, stamp);
      if (versions.get(number)?.state === 'AVAILABLE') serving.push(number);
    }
    const servingUp = serving.some((n) => versions.get(n)?.state === 'AVAILABLE');
    for (const [number, served] of versions) {
      const gone = !present.includes(number);
      if (served.state === 'AVAILABLE' && !serving.includes(number) && (servingUp || gone)) {
        this.deps.logger.info(`${name} version ${number}: unloading (${gone ? 'removed from the repository' : 'newer versions serve, as the version policy asks'})`);
        await served.unload(this.deps.drainMs);
      }
      if (served.state === 'END' && gone) versions.delete(number);
    }
    if (versions.size === 0 && !onDisk.length) this.models.delete(name);
    this.deps.metrics.availableVersions.set({ model: name }, [...versions.values()].filter((v) => v.state === 'AVAILABLE').length);
  }

  private async load(versions: Map<number, ServedVersion>, disk: VersionOnDisk, config: ModelConfig, stamp: string): Promise<void> {
    const served = new ServedVersion(disk.model, disk.version, disk.dir);
    served.stamp = stamp;
    served.state = 'LOADING';
    versions.set(disk.version, served);
    const labels = { model: disk.model, version: String(disk.version) };
    try {
      const loaded = await this.deps.load(disk, config);
      if (this.closed) {
        await loaded.predictor.dispose();
        served.failed('CANCELLED', 'the server closed while the version was loading');
        return;
      }
      served.available(loaded);
      this.deps.metrics.loads.inc(labels);
      this.deps.logger.info(`${disk.model} version ${disk.version}: AVAILABLE (${loaded.format}, warm-up: ${loaded.warmup}${loaded.batcher ? ', batching' : ''})`);
    } catch (e) {
      const error = toServingError(e);
      const code = error.code === 'INTERNAL' && !(e instanceof ServingError) ? 'UNKNOWN' : error.code;
      // Status pages and 503 bodies say model, version and reason; the folders go to the log only.
      served.failed(code, withoutServerPaths(error.message, this.repositoryRoots()));
      this.deps.metrics.loadFailures.inc({ ...labels, code });
      this.deps.logger.warn(`${disk.model} version ${disk.version} failed to load (${disk.dir}): ${error.message}`);
    }
  }

  /** The repository as given and as resolved through links: paths under either are told relative to it. */
  private repositoryRoots(): string[] {
    const roots = [path.resolve(this.deps.repository)];
    try { roots.push(realpathSync(this.deps.repository)); } catch { /* not there (yet) */ }
    return roots;
  }

  /** The served version a request goes to, or the 404/503 that says why there is none. */
  resolve(name: string, selector: VersionSelector = {}): ServedVersion {
    const versions = this.versionsOf(name);
    const number = this.selectedNumber(name, selector);
    if (number !== undefined) {
      const served = versions.get(number);
      if (!served) throw new ServingError('NOT_FOUND', `Could not find version ${number} of model ${name}`);
      if (served.state === 'AVAILABLE') return served;
      if (served.state === 'LOADING' || served.state === 'START') throw new ServingError('UNAVAILABLE', `version ${number} of model ${name} is still loading`);
      throw new ServingError('NOT_FOUND', `version ${number} of model ${name} is not available${served.error ? `: ${served.error.message}` : ' (unloaded)'}`);
    }
    const latest = [...versions.values()].filter((v) => v.state === 'AVAILABLE').sort((a, b) => b.version - a.version)[0];
    if (latest) return latest;
    const loading = [...versions.values()].some((v) => v.state === 'LOADING');
    const failures = [...versions.values()].filter((v) => v.error).sort((a, b) => b.version - a.version)
      .map((v) => `version ${v.version} failed to load (${v.error!.code}): ${v.error!.message}`);
    throw new ServingError('UNAVAILABLE', `no version of model ${name} is available${loading ? ' yet (loading)' : failures.length ? `: ${failures.join('; ')}` : ''}`);
  }

  /** TF Serving's model_version_status for the whole model, one version, or one label. */
  status(name: string, selector: VersionSelector = {}): VersionStatus[] {
    const versions = this.versionsOf(name);
    const number = this.selectedNumber(name, selector);
    const picked = number === undefined ? [...versions.values()] : [versions.get(number)].filter((v): v is ServedVersion => !!v);
    if (number !== undefined && picked.length === 0) throw new ServingError('NOT_FOUND', `Could not find version ${number} of model ${name}`);
    return picked.sort((a, b) => b.version - a.version).map((v) => ({
      version: String(v.version),
      state: v.state,
      status: { error_code: v.error?.code ?? 'OK', error_message: v.error?.message ?? '' },
    }));
  }

  knows(name: string): boolean {
    return (this.models.get(name)?.size ?? 0) > 0;
  }

  /** Names of models with at least one version known (loading, available, failed or unloaded). */
  modelNames(): string[] {
    return [...this.models.entries()].filter(([, v]) => v.size > 0).map(([name]) => name).sort();
  }

  availableVersions(name: string): ServedVersion[] {
    return [...(this.models.get(name)?.values() ?? [])].filter((v) => v.state === 'AVAILABLE').sort((a, b) => b.version - a.version);
  }

  /** Whether a model (or one version of it) answers; unknown models and versions are a 404. */
  isReady(name: string, version?: number): boolean {
    const versions = this.versionsOf(name);
    if (version === undefined) return this.availableVersions(name).length > 0;
    const served = versions.get(version);
    if (!served) throw new ServingError('NOT_FOUND', `Could not find version ${version} of model ${name}`);
    return served.state === 'AVAILABLE';
  }

  /**
   * Ready when the first scan is done and every model with versions, and every model the config
   * names, has one AVAILABLE: a configured model with none to serve (skipped links, an empty
   * folder) is a server not ready, as in TF Serving.
   */
  ready(): boolean {
    const names = new Set([...this.modelNames(), ...Object.keys(this.deps.config.config.models)]);
    return this.scanned && [...names].every((name) => this.availableVersions(name).length > 0);
  }

  private versionsOf(name: string): Map<number, ServedVersion> {
    const versions = this.models.get(name);
    if (!versions || versions.size === 0) throw new ServingError('NOT_FOUND', `Could not find any versions of model ${name}`);
    return versions;
  }

  private selectedNumber(name: string, selector: VersionSelector): number | undefined {
    if (selector.label === undefined) return selector.version;
    const labels = modelConfigOf(this.deps.config.config, name).labels;
    const number = ownValue(labels, selector.label);
    if (number === undefined) {
      const known = Object.keys(labels);
      throw new ServingError('NOT_FOUND', `Unrecognized servable version label: ${selector.label} (model ${name} has ${known.length ? known.join(', ') : 'no labels'})`);
    }
    return number;
  }
}
