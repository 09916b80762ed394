/** Why a plugin is in the session; explain and `host.plugins()` quote it. */
export type PluginReason =
  | { readonly kind: 'config'; readonly label: string; readonly file?: string }
  | { readonly kind: 'cli' }
  | { readonly kind: 'preset'; readonly chain: readonly string[]; readonly origin: PresetOrigin; readonly file: string }
  | { readonly kind: 'code' };

/** Where the outermost preset of a chain was named. */
export type PresetOrigin = 'config' | 'cli' | 'default';

/**
 * One line for a reason: "named in modelport.config.json plugins", "registered in code",
 * "from preset @acme/preset-base (@acme/preset-ml extends @acme/preset-base)".
 */
export function describeReason(reason: PluginReason): string {
  switch (reason.kind) {
    case 'config': return `named in ${reason.label} plugins`;
    case 'cli': return 'named on the command line (--plugin)';
    case 'code': return 'registered in code';
    case 'preset': {
      const preset = reason.chain[reason.chain.length - 1];
      const via = reason.chain.length > 1 ? ` (${reason.chain.join(' extends ')})` : '';
      const origin = reason.origin === 'default' ? ', the default when there is no modelport.config.json'
        : reason.origin === 'cli' ? ', named on the command line (--preset)' : '';
      return `from preset ${preset}${via}${origin}`;
    }
  }
}
