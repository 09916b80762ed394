/** Which versions of a model to serve, as TF Serving's model_version_policy has it. */
export type VersionPolicy =
  | { readonly latest: number }
  | { readonly all: true }
  | { readonly specific: readonly number[] };

export const DEFAULT_VERSION_POLICY: VersionPolicy = Object.freeze({ latest: 1 });

/** The versions the policy wants, among those complete on disk, newest first. */
export function aspiredVersions(policy: VersionPolicy, onDisk: readonly number[]): number[] {
  const newestFirst = [...onDisk].sort((a, b) => b - a);
  if ('all' in policy) return newestFirst;
  if ('specific' in policy) return newestFirst.filter((v) => policy.specific.includes(v));
  return newestFirst.slice(0, policy.latest);
}

export function describePolicy(policy: VersionPolicy): string {
  if ('all' in policy) return 'all versions';
  if ('specific' in policy) return `versions ${policy.specific.join(', ')}`;
  return policy.latest === 1 ? 'the latest version' : `the latest ${policy.latest} versions`;
}
