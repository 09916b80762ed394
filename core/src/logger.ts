/** The logger plugins get from the container. Libraries never write to the console themselves. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export const LoggerId = Symbol.for('modelport.Logger');

/** Quiet by default: a library prints nothing unless its host asks. */
export const silentLogger: Logger = Object.freeze({ debug() {}, info() {}, warn() {} });

export type LogLevel = 'debug' | 'info' | 'warn' | 'silent';

/** A logger writing to stderr from `level` up, for command-line hosts. */
export function consoleLogger(level: LogLevel = 'warn'): Logger {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'silent'];
  const at = order.indexOf(level);
  const write = (l: LogLevel) => (message: string) => {
    if (order.indexOf(l) >= at) process.stderr.write(`${l === 'warn' ? 'warning: ' : ''}${message}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn') };
}
