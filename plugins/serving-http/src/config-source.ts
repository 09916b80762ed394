import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OptionsError } from '@modelport/core';
import { parseModelsConfig, type ModelsConfig, type ModelsConfigInput } from './model-config.js';

// A value no file holds: a config that cannot be read is reported once, not at every poll.
const MISSING = '\u0000missing';

/**
 * The model config, from a file that is read again when it changes (as TF Serving polls its
 * model_config_file), or given inline. A file that stops being valid keeps the last good config.
 */
export class ConfigSource {
  private current: ModelsConfig;
  private lastText: string | undefined;

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

  /** Re-reads the file if it changed; returns the problem (once) when the new content is refused. */
  async refresh(): Promise<OptionsError | undefined> {
    if (!this.file) return undefined;
    // The content, not the mtime, says whether it changed: two edits within a clock tick still count.
    const text = await fs.readFile(this.file, 'utf8').catch(() => MISSING);
    if (text === this.lastText) return undefined;
    this.lastText = text;
    if (text === MISSING) return new OptionsError('the model config file cannot be read', { file: this.file });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      return new OptionsError(`the model config is not JSON (${(e as Error).message})`, { file: this.file });
    }
    try {
      this.current = parseModelsConfig(json, `"${this.file}"`);
      return undefined;
    } catch (e) {
      return e instanceof OptionsError ? e : new OptionsError((e as Error).message, { file: this.file });
    }
  }
}
