import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OptionsError } from '@modelport/core';
import { parseModelsConfig, type ModelsConfig, type ModelsConfigInput } from './model-config.js';

/**
 * The model config, from a file that is read again when it changes (as TF Serving polls its
 * model_config_file), or given inline. A file that stops being valid keeps the last good config.
 */
export class ConfigSource {
  private current: ModelsConfig;
  private stamp = '';

  private constructor(private readonly file: string | undefined, initial: ModelsConfig) {
    this.current = initial;
  }

  static async open(file: string | undefined, inline: ModelsConfigInput | undefined): Promise<ConfigSource> {
    if (!file) return new ConfigSource(undefined, parseModelsConfig(inline ?? {}, '(inline)'));
    const source = new ConfigSource(path.resolve(file), parseModelsConfig({}, '(empty)'));
    const problem = await source.refresh();
    if (problem) throw problem;
    return source;
  }

  get config(): ModelsConfig {
    return this.current;
  }

  /** The folder relative adapter files resolve against when not in the version directory. */
  get dir(): string {
    return this.file ? path.dirname(this.file) : process.cwd();
  }

  /** Re-reads the file if it changed; returns the problem when the new content is refused. */
  async refresh(): Promise<OptionsError | undefined> {
    if (!this.file) return undefined;
    const stat = await fs.stat(this.file).catch(() => undefined);
    if (!stat) return new OptionsError(`model config file not found; keeping the last good config`, { file: this.file });
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    if (stamp === this.stamp) return undefined;
    try {
      const text = await fs.readFile(this.file, 'utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new OptionsError(`model config is not JSON: ${(e as Error).message}`, { file: this.file });
      }
      this.current = parseModelsConfig(json, `"${this.file}"`);
      this.stamp = stamp;
      return undefined;
    } catch (e) {
      this.stamp = stamp; // report a bad file once, not at every poll
      return e instanceof OptionsError ? e : new OptionsError((e as Error).message, { file: this.file });
    }
  }
}
