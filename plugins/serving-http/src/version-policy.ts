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

/**
 * The versions worth trying, newest first, and how many of them should end up serving. For
 * `latest: N` that is every version on disk: when a newer one fails to load, the next older one
 * that loads takes its place (availability, as TF Serving promises). `all` and `specific` name
 * their versions exactly and fall back to none.
 */
export function candidateVersions(policy: VersionPolicy, onDisk: readonly number[]): { candidates: number[]; wanted: number } {
  if ('latest' in policy) return { candidates: [...onDisk].sort((a, b) => b - a), wanted: policy.latest };
  const candidates = aspiredVersions(policy, onDisk);
  return { candidates, wanted: candidates.length };
}

export function describePolicy(policy: VersionPolicy): string {
  if ('all' in policy) return 'all versions';
  if ('specific' in policy) return `versions ${policy.specific.join(', ')}`;
  return policy.latest === 1 ? 'the latest version' : `the latest ${policy.latest} versions`;
}
