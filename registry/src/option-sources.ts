/** Where an option's value was set; errors and explain quote it. */
export type OptionSource =
  | { readonly kind: 'default' }
  | { readonly kind: 'preset'; readonly preset: string; readonly file: string }
  | { readonly kind: 'config'; readonly label: string; readonly file?: string }
  | { readonly kind: 'flag'; readonly flag: string }
  | { readonly kind: 'code' };

/** The option's top-level key → where its value was set (the last place that set it). */
export type OptionSources = Readonly<Record<string, OptionSource>>;

/** For messages: "preset @acme/preset-x (/…/preset.json)", "modelport.config.json (/…/modelport.config.json)", "--plugin". */
export function describeSource(source: OptionSource): string {
  switch (source.kind) {
    case 'default': return 'the schema default';
    case 'preset': return `preset ${source.preset} (${source.file})`;
    case 'config': return source.file ? `${source.label} (${source.file})` : source.label;
    case 'flag': return `the command line (${source.flag})`;
    case 'code': return 'code';
  }
}

/** The file a source lives in, for the error's `file` field. */
export function sourceFile(source: OptionSource | undefined): string | undefined {
  return source && (source.kind === 'preset' || source.kind === 'config') ? source.file : undefined;
}
