/**
 * A server in a process of its own, so that its memory can be measured without the client's:
 * started with `node --expose-gc memory-server.js <repository> <limits JSON>`, it sends
 * { url } once listening, then answers { rss } (after a full GC) to "rss" and { peak } (the
 * highest RSS sampled every 5 ms since the last "reset") to "peak".
 */
import { startServer } from '../../src/index.js';
import { configuredContainer } from './models.js';

const [repository, limitsJson] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc!;
let peak = 0;
setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5).unref();

const settled = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage.rss();
};

const container = await configuredContainer();
const server = await startServer({ repository: repository!, port: 0, container, pollSeconds: 0, warmup: { enabled: false }, limits: JSON.parse(limitsJson!) });
process.on('message', async (m) => {
  if (m === 'rss') process.send!({ rss: await settled() });
  if (m === 'reset') { peak = process.memoryUsage.rss(); process.send!({ reset: true }); }
  if (m === 'peak') process.send!({ peak });
  if (m === 'close') { await server.close(); process.exit(0); }
});
process.send!({ url: server.url });
