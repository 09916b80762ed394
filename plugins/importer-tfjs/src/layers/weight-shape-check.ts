// tfjs builds (and initializes) every layer's weights from its config before it reads the weight
// file, so a kernel_size or units of 10^9 allocates first and fails inside a typed array. The
// weight manifest already says each kernel's real shape: the config must agree with it.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a layer's kernel shape is made of: spatial kernel_size dims, then input channels, then `last`. */
const KERNELS: Readonly<Record<string, { readonly weight: string; readonly spatial: number; readonly last: string }>> = {
  Dense: { weight: 'kernel', spatial: 0, last: 'units' },
  Conv1D: { weight: 'kernel', spatial: 1, last: 'filters' },
  Conv2D: { weight: 'kernel', spatial: 2, last: 'filters' },
  Conv3D: { weight: 'kernel', spatial: 3, last: 'filters' },
  DepthwiseConv2D: { weight: 'depthwise_kernel', spatial: 2, last: 'depth_multiplier' },
  SeparableConv2D: { weight: 'depthwise_kernel', spatial: 2, last: 'depth_multiplier' },
};

function manifestShapes(json: Json): Map<string, unknown> {
  const shapes = new Map<string, unknown>();
  const groups = Array.isArray(json.weightsManifest) ? json.weightsManifest : [];
  for (const group of groups) {
    const weights = isObject(group) && Array.isArray(group.weights) ? group.weights : [];
    for (const w of weights) if (isObject(w) && typeof w.name === 'string') shapes.set(w.name, w.shape);
  }
  return shapes;
}

/** The config's expected kernel dims (undefined where it does not say), as tfjs would build them. */
function expectedDims(config: Json, spatial: number, last: string): (number | undefined)[] {
  const size = config.kernel_size;
  const sizes = spatial === 0 ? [] : Array.isArray(size) ? size : Array.from({ length: spatial }, () => size);
  const lastValue = config[last] ?? (last === 'depth_multiplier' ? 1 : undefined);
  const dim = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return [...sizes.map(dim), undefined, dim(lastValue)];
}

/** Layers whose kernel_size, filters, units or depth_multiplier disagree with the weight file's kernel. */
export function weightShapeProblems(json: unknown): string[] {
  if (!isObject(json) || !isObject(json.modelTopology)) return [];
  const topology = isObject(json.modelTopology.model_config) ? json.modelTopology.model_config : json.modelTopology;
  const layers = isObject(topology.config) && Array.isArray(topology.config.layers) ? topology.config.layers
    : Array.isArray(topology.config) ? topology.config : [];
  const shapes = manifestShapes(json);
  const problems: string[] = [];
  for (const raw of layers) {
    if (!isObject(raw) || typeof raw.class_name !== 'string' || !isObject(raw.config)) continue;
    const kernel = KERNELS[raw.class_name];
    const name = typeof raw.name === 'string' ? raw.name : raw.config.name;
    if (!kernel || typeof name !== 'string') continue;
    const shape = shapes.get(`${name}/${kernel.weight}`);
    if (!Array.isArray(shape)) continue;
    const expected = expectedDims(raw.config, kernel.spatial, kernel.last);
    const agrees = shape.length === expected.length && expected.every((d, i) => d === undefined || d === shape[i]);
    if (!agrees) {
      const keys = kernel.spatial ? `kernel_size and ${kernel.last}` : kernel.last;
      problems.push(`layer "${name}": ${keys} ask for a ${kernel.weight} of shape [${expected.map((d) => d ?? '?').join(',')}], but the weights hold ${name}/${kernel.weight} as [${shape.join(',')}]`);
    }
  }
  return problems;
}
