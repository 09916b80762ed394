import semver from 'semver';

export type Compatibility = { readonly compatible: true } | { readonly compatible: false; readonly reason: string };

/**
 * Checks a plugin's `core` range against the installed core. A refusal says what the plugin
 * accepts, what is installed, and both ways out: another plugin version or another core version.
 */
export function checkCoreRange(plugin: string, range: string, coreVersion: string): Compatibility {
  const normalised = semver.validRange(range);
  if (normalised === null) {
    return { compatible: false, reason: `plugin ${plugin} declares core range "${range}", which is not a semver range; its author must fix package.json` };
  }
  // A prerelease core (0.1.1-beta.0) counts as inside ^0.1.0, which is what plugin authors mean.
  if (semver.satisfies(coreVersion, normalised, { includePrerelease: true })) return { compatible: true };
  const accepts = normalised === range ? range : `${range} (${normalised})`;
  const lowest = semver.minVersion(normalised);
  const coreWay = lowest ? `, or a @modelport/core version in ${range} (from ${lowest.version})` : '';
  return {
    compatible: false,
    reason: `plugin ${plugin} needs core ${accepts}; installed core is ${coreVersion}; install a ${plugin} version whose core range includes ${coreVersion}${coreWay}`,
  };
}
