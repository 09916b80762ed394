import net from 'node:net';
import type { TensorData } from '@modelport/core';
import { runInference, toServingError, type ProtocolListener, type ServingContext, type ServingProtocol } from '../../src/index.js';

/** A request line: `{"model": "dense", "version": 1, "x": [[…], …]}`; the answer line is `{"version", "probs"}` or `{"code", "error"}`. */
interface LineRequest {
  model: string;
  version?: number;
  x: number[][];
}

export function rowsTensor(rows: number[][]): TensorData {
  return { dtype: 'float32', shape: [rows.length, rows[0]?.length ?? 0], data: Float32Array.from(rows.flat()) };
}

async function answer(ctx: ServingContext, line: string): Promise<string> {
  try {
    const request = JSON.parse(line) as LineRequest;
    const result = await runInference(ctx, { model: request.model, ...(request.version ? { version: request.version } : {}), inputs: { x: rowsTensor(request.x) } });
    const probs = result.outputs.probs!;
    return JSON.stringify({ version: result.version, shape: probs.shape, probs: Array.from(probs.data as Float32Array) });
  } catch (e) {
    const error = toServingError(e);
    return JSON.stringify({ code: error.code, error: error.message });
  }
}

/**
 * A protocol with a listener of its own, as a gRPC one would have: newline-delimited JSON over TCP
 * on a free port of the server's host, running every request through the server's inference path.
 */
export const LINE_PROTOCOL: ServingProtocol = {
  name: 'json-lines',
  description: 'JSON lines over TCP',
  async listen(ctx): Promise<ProtocolListener> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      let buffered = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, newline);
          buffered = buffered.slice(newline + 1);
          void answer(ctx, line).then((reply) => socket.write(`${reply}\n`));
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, ctx.settings.host, () => resolve());
    });
    const { port } = server.address() as net.AddressInfo;
    return {
      address: `tcp://${ctx.settings.host}:${port}`,
      close: () => new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.end();
      }),
    };
  },
};

/** Sends one line to a `tcp://host:port` address and resolves with the parsed answer line. */
export function askLine(address: string, request: unknown): Promise<any> {
  const { hostname, port } = new URL(address);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(`${JSON.stringify(request)}\n`));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        socket.end();
        resolve(JSON.parse(text.slice(0, newline)));
      }
    });
    socket.on('error', reject);
  });
}
