import validate from 'validate-npm-package-name';
import { ConfigError } from '@modelport/core';
import { closeNames } from '@modelport/registry';

/** What `modelport new-plugin` can scaffold; `module` is an export module: preprocessing built into exported signatures. */
export const SCAFFOLD_TYPES = ['exporter', 'pass', 'quantizer', 'runtime', 'adapter', 'module', 'preset'] as const;
export type ScaffoldType = (typeof SCAFFOLD_TYPES)[number];

/** The names one scaffold uses, all derived from the package name. */
export interface ScaffoldNames {
  readonly type: ScaffoldType;
  /** The npm package name, as given (e.g. @acme/modelport-exporter-summary). */
  readonly packageName: string;
  /** The name without its scope: the default folder. */
  readonly baseName: string;
  /** The key it provides: the target, format, pass or adapter name (summary). */
  readonly key: string;
  /** The exported constant (summaryExporter). */
  readonly identifier: string;
  /** The options interface (SummaryExporterOptions). */
  readonly optionsType: string;
}

export function checkType(type: string): ScaffoldType {
  if ((SCAFFOLD_TYPES as readonly string[]).includes(type)) return type as ScaffoldType;
  const close = closeNames(type, SCAFFOLD_TYPES);
  throw new ConfigError(`unknown plugin type "${type}" in \`modelport new-plugin ${type}\`${close.length ? ` (did you mean ${close.join(' or ')}?)` : ''}; `
    + `choose one of ${SCAFFOLD_TYPES.join(', ')}`);
}

// Words JavaScript reserves, and names the generated files already use: the plugin's constant is
// named after the package, so "delete" or "path" get a suffix instead of breaking the build.
const TAKEN = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends',
  'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package',
  'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void',
  'while', 'with', 'yield', 'await', 'arguments', 'eval', 'undefined',
  'fs', 'path', 'expect', 'plugin', 'definePlugin', 'adapterPlugin', 'readPluginPackage', 'summarize', 'removePassThrough',
  'storeAsFloat16', 'loadPredictor', 'scaleOutputs', 'scaled', 'formatSize', 'optionsSchema',
]);

/** Checks the package name with npm's own rules and derives the other names from it. */
export function scaffoldNames(type: ScaffoldType, packageName: string): ScaffoldNames {
  const validity = validate(packageName);
  if (!validity.validForNewPackages) {
    const why = [...(validity.errors ?? []), ...(validity.warnings ?? [])].join('; ');
    const cleaned = packageName.toLowerCase().replace(/[^a-z0-9@/._-]+/g, '-').replace(/^[-._]+|[-._]+$/g, '');
    const suggestion = [cleaned, `${cleaned || 'my'}-${type}`, `my-${type}`].find((n) => n && n !== packageName && validate(n).validForNewPackages);
    throw new ConfigError(`"${packageName}" is not a valid npm package name for \`modelport new-plugin ${type}\`: ${why}; choose a name like ${suggestion}`);
  }
  const baseName = packageName.replace(/^@[^/]+\//, '');
  const words = baseName.toLowerCase().replace(/^modelport-/, '').split(/[^a-z0-9]+/).filter(Boolean);
  // "my-exporter" and "exporter-my" both provide "my": the type word says nothing the manifest does not.
  const keyWords = words.filter((w) => w !== type);
  const key = (keyWords.length ? keyWords : words.length ? words : ['plugin']).join('-');
  const camel = (words.length ? words : ['plugin']).map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  const safe = /^[0-9]/.test(camel) ? `plugin${camel[0]!.toUpperCase()}${camel.slice(1)}` : camel;
  const identifier = TAKEN.has(safe) ? `${safe}Plugin` : safe;
  return { type, packageName, baseName, key, identifier, optionsType: `${identifier[0]!.toUpperCase()}${identifier.slice(1)}Options` };
}
