// What a command process tells the CLI's supervising process (see supervise.ts), over the IPC channel.

export type SupervisorMessage =
  /** The model folder an export writes its temp version in: removed from if the export is killed. */
  | { readonly modelDir: string }
  /** The command closes itself on SIGINT/SIGTERM (serve): no kill after the grace period. */
  | { readonly stopsOnSignal: true };

export function isSupervisorMessage(message: unknown): message is SupervisorMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return typeof m.modelDir === 'string' || m.stopsOnSignal === true;
}

/** Sends, and waits until it is sent: the command may then hold its main thread until it is killed. */
function tell(message: SupervisorMessage): Promise<void> {
  const send = process.send?.bind(process);
  if (!send || !process.connected) return Promise.resolve();
  return new Promise((resolve) => { send(message, undefined, {}, () => resolve()); });
}

export const announceModelDir = (modelDir: string): Promise<void> => tell({ modelDir });
export const announceStopsOnSignal = (): Promise<void> => tell({ stopsOnSignal: true });
