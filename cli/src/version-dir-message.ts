/** What a command process tells the CLI's supervising process: where it may write a version. */
export interface VersionDirMessage {
  readonly modelDir: string;
}

export function isVersionDirMessage(message: unknown): message is VersionDirMessage {
  return typeof message === 'object' && message !== null && typeof (message as VersionDirMessage).modelDir === 'string';
}

/**
 * Tells the supervising process (if any) the model folder an export writes its temp version in,
 * and waits until the message is sent: the export may then hold the main thread until it is killed.
 */
export function announceModelDir(modelDir: string): Promise<void> {
  const send = process.send?.bind(process);
  if (!send || !process.connected) return Promise.resolve();
  return new Promise((resolve) => { send({ modelDir } satisfies VersionDirMessage, undefined, {}, () => resolve()); });
}
