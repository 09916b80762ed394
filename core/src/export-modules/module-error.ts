import { ConfigError } from '../errors.js';

/** Where a module option was set, for messages: "options.json", "modelport.config.json"… */
export interface ModuleErrorWhere {
  readonly signature: string;
  readonly module: string;
  /** The plugin that contributed the module. */
  readonly plugin?: string;
  readonly option?: string;
  readonly setIn?: string;
}

/** A signature that cannot be built: names the signature, the module, the option at fault and where it was set. */
export class ModuleError extends ConfigError {
  readonly signature: string;
  readonly module: string;
  readonly option?: string;

  constructor(detail: string, where: ModuleErrorWhere) {
    const option = where.option ? `, option "${where.option}"${where.setIn ? ` (set in ${where.setIn})` : ''}` : '';
    super(`signature "${where.signature}", module "${where.module}"${option}: ${detail}`, where.plugin ? { plugin: where.plugin } : {});
    this.signature = where.signature;
    this.module = where.module;
    if (where.option) this.option = where.option;
  }
}
