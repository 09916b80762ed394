import { GraphExecutor, loadTfjsGraphModel, initBackend } from '@modelport/core';
import { lowerToTensorFlow } from './plugins/exporter-savedmodel/dist/src/lower/index.js';
await initBackend();
const model = process.argv[2];
const src = await loadTfjsGraphModel(`.corpus/models/${model}.json`);
const key = Object.keys(src.signatures)[0];
const sig = src.signatures[key];
// seeded uniform feeds
let seed = 7; const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const feeds = {};
for (const [k, t] of Object.entries(sig.inputs)) { const shape = t.shape.map((d) => (d < 0 ? 1 : d)); const n = shape.reduce((a, b) => a * b, 1); feeds[k] = { dtype: 'float32', shape, data: Float32Array.from({ length: n }, rnd) }; }
async function run(g) { const e = await GraphExecutor.create(g); try { return await e.runSignature(g.signatures[key], feeds); } finally { e.dispose(); } }
const a = await run(src), b = await run(lowerToTensorFlow(src));
for (const k of Object.keys(a)) { const x = a[k].data, y = b[k].data; let d = 0, m = 0; for (let i = 0; i < x.length; i++) { d = Math.max(d, Math.abs(x[i] - y[i])); m = Math.max(m, Math.abs(x[i])); } console.log(k, (d / m).toExponential(2)); }
const ops = {}; for (const n of src.nodes) ops[n.op] = (ops[n.op] ?? 0) + 1; console.log(JSON.stringify(ops));
const fused = src.nodes.filter((n) => n.attrs.fused_ops).map((n) => n.op + ':' + (n.attrs.fused_ops.list.s ?? []).join('+')); const c = {}; for (const f of fused) c[f] = (c[f] ?? 0) + 1; console.log(c);
