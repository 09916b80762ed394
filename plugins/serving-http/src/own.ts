/**
 * Lookups by a name that comes from a request, a file or a config. A plain object answers
 * `constructor`, `toString` or `__proto__` from its prototype; these answer only its own keys.
 */
export function hasOwnKey(record: object, key: string): boolean {
  return Object.hasOwn(record, key);
}

export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
