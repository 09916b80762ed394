import { loadTfjsGraphModel } from '@modelport/core';
import { lowerToTensorFlow } from './plugins/exporter-savedmodel/dist/src/lower/index.js';
import { graphDefOf } from './plugins/exporter-savedmodel/dist/src/graph-def.js';
import { assertTensorFlowCanLoad } from './plugins/exporter-savedmodel/dist/src/check-loadable.js';
import fs from 'node:fs';
const dir = '.corpus/models';
for (const f of fs.readdirSync(dir).filter(f=>f.endsWith('.json'))) {
  const g = await loadTfjsGraphModel(`${dir}/${f}`);
  try { assertTensorFlowCanLoad(graphDefOf(lowerToTensorFlow(g))); console.log('ok', f); }
  catch (e) { console.log('FAIL', f, e.message.slice(0, 600)); }
}
