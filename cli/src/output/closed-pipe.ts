/**
 * `modelport … | head -1`: once the reader has gone, writes to stdout fail with EPIPE. That is not
 * a failure of the command (the version is written all the same): later output is dropped and the
 * command ends with its own exit code, without a stack trace.
 */
export function dropOutputToClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}
