/** The index file of the bundle at `prefix` (e.g. `<dir>/variables/variables.index`). */
export function bundleIndexFile(prefix: string): string {
  return `${prefix}.index`;
}

/** A data file of the bundle: `<prefix>.data-00000-of-00001`. */
export function bundleDataFile(prefix: string, shard = 0, numShards = 1): string {
  const pad = (n: number): string => String(n).padStart(5, '0');
  return `${prefix}.data-${pad(shard)}-of-${pad(numShards)}`;
}
