import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, ModelLoadError, readTfjsModelFiles } from '@modelport/core';
import { importLayersModelFile } from '../src/layers-model.js';

// Each mutation is one a fuzzed model.json made tfjs hang on or crash inside fromConfig with;
// every one must come back at once as a ModelLoadError naming the file, the layer and the key.

const EXAMPLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'examples', 'tiny-cnn');

type Json = Record<string, any>;
const layers = (m: Json): Json[] => m.modelTopology.config.layers;

const MUTATIONS: readonly { what: string; mutate: (m: Json) => void; expected: RegExp }[] = [
  { what: 'a layer without a name (tfjs loops for ever)', mutate: (m) => { delete layers(m)[10]!.name; }, expected: /layer #10 has no name/ },
  { what: 'filters = 2^53', mutate: (m) => { layers(m)[7]!.config.filters = 9007199254740992; }, expected: /layer "conv3": filters is 9007199254740992, expected whole numbers/ },
  { what: 'units = 2^31', mutate: (m) => { layers(m)[11]!.config.units = 2147483648; }, expected: /layer "classes": units is 2147483648, expected whole numbers/ },
  { what: 'a Conv2D without filters', mutate: (m) => { delete layers(m)[7]!.config.filters; }, expected: /layer "conv3": filters is missing, expected a whole number > 0 \(a Conv2D layer needs it\)/ },
  { what: 'a Dense layer without units', mutate: (m) => { delete layers(m)[11]!.config.units; }, expected: /layer "classes": units is missing, expected a whole number > 0 \(a Dense layer needs it\)/ },
  { what: 'units = 1e308', mutate: (m) => { layers(m)[11]!.config.units = 1e308; }, expected: /layer "classes": units is 1e\+308, expected whole numbers/ },
  { what: 'a tensor index past 2^32', mutate: (m) => { layers(m)[7]!.inbound_nodes[0][0][2] = 4294967297; }, expected: /layer "conv3": inbound reference \["pool",0,4294967297,\{\}\] is not \[layer name, node index, tensor index\]/ },
  { what: 'tensor index 1 of a one-output layer', mutate: (m) => { layers(m)[7]!.inbound_nodes[0][0][2] = 1; }, expected: /layer "conv3" takes input from output 1 of layer "pool", which has 1 output\(s\)/ },
  { what: 'a layer without a class_name', mutate: (m) => { delete layers(m)[9]!.class_name; }, expected: /layer "gap": class_name is missing, expected the layer's class name/ },
  { what: 'a layer that is null', mutate: (m) => { layers(m)[0] = null as unknown as Json; }, expected: /layer #0 is null, expected a layer/ },
  { what: 'a ZeroPadding2D width of 2^40', mutate: (m) => { layers(m).splice(1, 0, { name: 'pad', class_name: 'ZeroPadding2D', config: { name: 'pad', padding: [[1, 2 ** 40], [1, 1]] }, inbound_nodes: [] }); }, expected: /layer "pad": padding is \[\[1,1099511627776\],\[1,1\]\], expected whole numbers/ },
  { what: 'a kernel_size of 10^9 (within 2^31, but not the kernel the weights hold)', mutate: (m) => { layers(m)[1]!.config.kernel_size[0] = 1000000000; }, expected: /layer "conv1": kernel_size and filters ask for a kernel of shape \[1000000000,3,\?,8\], but the weights hold conv1\/kernel as \[3,3,3,8\]/ },
  { what: 'units that are not the weight file\'s', mutate: (m) => { layers(m)[11]!.config.units = 1000000; }, expected: /layer "classes": units ask for a kernel of shape \[\?,1000000\], but the weights hold classes\/kernel as \[16,10\]/ },
  { what: 'two inputs to a one-input layer', mutate: (m) => { layers(m)[6]!.inbound_nodes[0].push(layers(m)[6]!.inbound_nodes[0][0]); }, expected: /layer "pool" \(MaxPooling2D\) takes one input, but its call 0 lists 2/ },
  { what: 'an initializer whose class_name is not a string', mutate: (m) => { layers(m)[7]!.config.bias_initializer.class_name = { a: 1 }; }, expected: /layer "conv3": bias_initializer\.class_name is \{"a":1\}, expected a class name/ },
  { what: 'an initializer distribution that is not a string', mutate: (m) => { layers(m)[11]!.config.kernel_initializer.config.distribution = {}; }, expected: /layer "classes": kernel_initializer\.config\.distribution is \{\}, expected one of "normal", "uniform", "truncated_normal"/ },
  { what: 'an initializer mode that is not a string', mutate: (m) => { layers(m)[3]!.config.depthwise_initializer.config.mode = []; }, expected: /layer "dw2": depthwise_initializer\.config\.mode is \[\], expected one of "fan_in", "fan_out", "fan_avg"/ },
  { what: 'an input layer left out of input_layers', mutate: (m) => { m.modelTopology.config.input_layers = []; }, expected: /input layer "image" is not among the model's input_layers/ },
  { what: 'no input_layers', mutate: (m) => { delete m.modelTopology.config.input_layers; }, expected: /the model has no input_layers/ },
  { what: 'a config name that is not a string', mutate: (m) => { layers(m)[0]!.config.name = [[]]; }, expected: /layer "image": config\.name is \[\[\]\], expected a string/ },
  { what: 'a config name that differs from the layer name', mutate: (m) => { layers(m)[2]!.config.name = 'other'; }, expected: /layer "bn1": config\.name is "other", expected the layer's name "bn1"/ },
  { what: 'data_format = -1', mutate: (m) => { layers(m)[3]!.config.data_format = -1; }, expected: /layer "dw2": data_format is -1, expected one of "channels_last", "channels_first"/ },
  { what: 'data_format = "__proto__"', mutate: (m) => { layers(m)[6]!.config.data_format = '__proto__'; }, expected: /layer "pool": data_format is "__proto__", expected one of/ },
  { what: 'padding = "__proto__"', mutate: (m) => { layers(m)[3]!.config.padding = '__proto__'; }, expected: /layer "dw2": padding is "__proto__", expected one of "valid", "same", "causal"/ },
  { what: 'an input dimension of 10^12', mutate: (m) => { layers(m)[0]!.config.batch_input_shape[1] = 1000000000000; }, expected: /layer "image": batch_input_shape is \[null,1000000000000,32,3\], expected whole numbers from 0 to 2\^31/ },
  { what: 'an input of 40000 × 40000 × 3 elements', mutate: (m) => { layers(m)[0]!.config.batch_input_shape = [null, 40000, 40000, 3]; }, expected: /layer "image": batch_input_shape \[null,40000,40000,3\] holds 4800000000 elements, more than 2\^31/ },
];

describe('layers importer: hostile model.json refused before tfjs', () => {
  let dir: string;
  let original: string;
  before(async () => {
    await initBackend();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hostile-layers-'));
    await fs.copyFile(path.join(EXAMPLE_DIR, 'weights.bin'), path.join(dir, 'weights.bin'));
    original = await fs.readFile(path.join(EXAMPLE_DIR, 'model.json'), 'utf8');
  });
  after(() => fs.rm(dir, { recursive: true, force: true }));

  async function importMutated(mutate: (m: Json) => void): Promise<unknown> {
    const model = JSON.parse(original) as Json;
    mutate(model);
    const file = path.join(dir, 'model.json');
    await fs.writeFile(file, JSON.stringify(model));
    const files = await readTfjsModelFiles(file);
    const { graph } = await importLayersModelFile(files);
    return graph;
  }

  it('still imports the unmutated example', async () => {
    const graph = await importMutated(() => undefined);
    expect(graph).to.have.property('signatures');
  });

  for (const { what, mutate, expected } of MUTATIONS) {
    it(`refuses ${what}`, async () => {
      const t0 = performance.now();
      const error = await importMutated(mutate).then(() => undefined, (e: unknown) => e);
      expect(performance.now() - t0).to.be.below(2000);
      expect(error).to.be.instanceOf(ModelLoadError);
      const message = (error as Error).message;
      expect(message).to.match(/^file ".*model\.json": the layers model's topology is broken/);
      expect(message).to.match(expected);
      expect(message).not.to.match(/tfjs could not load/);
    });
  }

  it('lists every problem of one model in one error', async () => {
    const error = await importMutated((m) => {
      layers(m)[3]!.config.padding = '__proto__';
      layers(m)[11]!.config.units = 1e308;
      delete m.modelTopology.config.output_layers;
    }).then(() => undefined, (e: unknown) => e);
    expect(error).to.be.instanceOf(ModelLoadError);
    expect((error as Error).message).to.match(/3 problem\(s\): .*padding.*; .*units.*; the model has no output_layers/);
  });
});
