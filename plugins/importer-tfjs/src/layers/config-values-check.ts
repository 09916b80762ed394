// tfjs trusts a layer config's numbers and enum strings: a 2^53 filter count reaches a typed array
// constructor, a name that is not a string reaches String.match, "__proto__" reaches an enum lookup.
// Each is refused here with the layer, the key, the value and what Keras writes instead.

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const LIMIT = 2 ** 31;
/** Keys holding a whole number or a list of them (Keras writes both forms for most). */
const WHOLE_NUMBER_KEYS = ['filters', 'units', 'kernel_size', 'strides', 'dilation_rate', 'pool_size', 'depth_multiplier', 'size', 'target_shape', 'axis'];
const SHAPE_KEYS = [['batch_input_shape', 'batchInputShape'], ['input_shape', 'inputShape']] as const;
const ENUMS: Readonly<Record<string, readonly string[]>> = {
  padding: ['valid', 'same', 'causal'],
  data_format: ['channels_last', 'channels_first'],
  dataFormat: ['channels_last', 'channels_first'],
};
/** VarianceScaling's strings, as Keras writes them and tfjs reads them. */
const INITIALIZER_ENUMS: Readonly<Record<string, readonly string[]>> = {
  mode: ['fan_in', 'fan_out', 'fan_avg'],
  distribution: ['normal', 'uniform', 'truncated_normal'],
};
const NESTED_MODELS = new Set(['Sequential', 'Model', 'Functional']);
/** Keys a layer cannot be built without (tfjs reads them unchecked and says "got undefined"). */
const REQUIRED_KEYS: Readonly<Record<string, readonly string[]>> = {
  Dense: ['units'],
  Conv1D: ['filters', 'kernel_size'],
  Conv2D: ['filters', 'kernel_size'],
  Conv3D: ['filters', 'kernel_size'],
  Conv2DTranspose: ['filters', 'kernel_size'],
  Conv3DTranspose: ['filters', 'kernel_size'],
  SeparableConv1D: ['filters', 'kernel_size'],
  SeparableConv2D: ['filters', 'kernel_size'],
  DepthwiseConv2D: ['kernel_size'],
};
/** Layers whose padding is widths (numbers, nested lists), not a padding mode. */
const PADDING_WIDTHS = new Set(['ZeroPadding1D', 'ZeroPadding2D', 'ZeroPadding3D']);

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
/** "is missing" or "is <the value>": the words a user reads for a key. */
const is = (v: unknown): string => (v === undefined ? 'is missing' : `is ${show(v)}`);
const isWhole = (v: unknown): v is number => Number.isSafeInteger(v) && Math.abs(v as number) < LIMIT;

function layersOf(model: Json): unknown[] {
  const config = model.config;
  if (Array.isArray(config)) return config;
  return isObject(config) && Array.isArray(config.layers) ? config.layers : [];
}

function wholeNumberProblem(key: string, value: unknown, shown: unknown = value): string | undefined {
  if (value === null || value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (values.every(isWhole)) return undefined;
  return `${key} ${is(shown)}, expected whole numbers between -2^31 and 2^31`;
}

function shapeProblem(key: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) return `${key} ${is(value)}, expected a list of dimensions`;
  const open = (d: unknown) => d === null || d === -1;
  if (!value.every((d) => open(d) || (isWhole(d) && d >= 0))) {
    return `${key} ${is(value)}, expected whole numbers from 0 to 2^31 (null or -1 for an open dimension)`;
  }
  const count = value.reduce<number>((n, d) => n * (open(d) ? 1 : (d as number)), 1);
  return count > LIMIT ? `${key} ${show(value)} holds ${count} elements, more than 2^31` : undefined;
}

/** Initializers, regularizers, constraints: each a { class_name, config } tfjs looks up by that name. */
function innerClassProblems(value: unknown, key: string, problems: string[]): void {
  if (Array.isArray(value)) { value.forEach((v, i) => innerClassProblems(v, `${key}[${i}]`, problems)); return; }
  if (!isObject(value)) return;
  if ('class_name' in value && (typeof value.class_name !== 'string' || !value.class_name)) {
    problems.push(`${key}.class_name ${is(value.class_name)}, expected a class name`);
  }
  if ('class_name' in value && isObject(value.config)) {
    for (const [k, allowed] of Object.entries(INITIALIZER_ENUMS)) {
      const v = value.config[k];
      if (v !== undefined && v !== null && !(typeof v === 'string' && allowed.includes(v))) {
        problems.push(`${key}.config.${k} ${is(v)}, expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
      }
    }
  }
  for (const [k, v] of Object.entries(value)) if (k !== 'class_name') innerClassProblems(v, key ? `${key}.${k}` : k, problems);
}

function configProblems(className: string, config: Json): string[] {
  const problems: string[] = [];
  innerClassProblems(config, '', problems);
  for (const key of Object.hasOwn(REQUIRED_KEYS, className) ? REQUIRED_KEYS[className]! : []) {
    if (config[key] === undefined || config[key] === null) problems.push(`${key} ${is(config[key])}, expected a whole number > 0 (a ${className} layer needs it)`);
  }
  for (const key of WHOLE_NUMBER_KEYS) {
    const problem = wholeNumberProblem(key, config[key]);
    if (problem) problems.push(problem);
  }
  for (const keys of SHAPE_KEYS) {
    for (const key of keys) {
      const problem = shapeProblem(key, config[key]);
      if (problem) problems.push(problem);
    }
  }
  if (PADDING_WIDTHS.has(className)) {
    const problem = wholeNumberProblem('padding', Array.isArray(config.padding) ? config.padding.flat(2) : config.padding, config.padding);
    if (problem) problems.push(problem);
  }
  for (const [key, allowed] of Object.entries(ENUMS)) {
    if (key === 'padding' && PADDING_WIDTHS.has(className)) continue;
    const value = config[key];
    if (value !== undefined && value !== null && !(typeof value === 'string' && allowed.includes(value))) {
      problems.push(`${key} ${is(value)}, expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  }
  return problems;
}

/** The problems of one model's layers (and of the models nested in it), each naming its layer. */
function modelValueProblems(model: Json, prefix: string): string[] {
  const problems: string[] = [];
  if (isObject(model.config) && model.config.name !== undefined && typeof model.config.name !== 'string') {
    problems.push(`model ${prefix ? `"${prefix.slice(0, -1)}" ` : ''}name ${is(model.config.name)}, expected a string`);
  }
  layersOf(model).forEach((raw, i) => {
    if (!isObject(raw)) { problems.push(`layer #${i}${prefix ? ` of "${prefix.slice(0, -1)}"` : ''} ${is(raw)}, expected a layer`); return; }
    const config = isObject(raw.config) ? raw.config : {};
    const name = typeof raw.name === 'string' ? raw.name : typeof config.name === 'string' ? config.name : undefined;
    const which = name !== undefined ? `layer "${prefix}${name}"` : `layer #${i}${prefix ? ` of "${prefix.slice(0, -1)}"` : ''}`;
    const className = raw.class_name ?? raw.className;
    if (typeof className !== 'string' || !className) problems.push(`${which}: class_name ${is(className)}, expected the layer's class name`);
    if (raw.name !== undefined && typeof raw.name !== 'string') problems.push(`${which}: name ${is(raw.name)}, expected a string`);
    if (config.name !== undefined && typeof config.name !== 'string') problems.push(`${which}: config.name ${is(config.name)}, expected a string`);
    else if (typeof raw.name === 'string' && typeof config.name === 'string' && raw.name !== config.name) {
      problems.push(`${which}: config.name ${is(config.name)}, expected the layer's name ${show(raw.name)}`);
    }
    if (raw.config !== undefined && !isObject(raw.config)) problems.push(`${which}: config ${is(raw.config)}, expected the layer's settings`);
    if (typeof className === 'string' && NESTED_MODELS.has(className)) {
      problems.push(...modelValueProblems({ class_name: className, config: raw.config }, `${prefix}${name ?? `#${i}`}/`));
    } else {
      problems.push(...configProblems(String(className), config).map((p) => `${which}: ${p}`));
    }
  });
  return problems;
}

/** Every layer config value tfjs would trip on, in a layers model topology (model.json's modelTopology). */
export function layerConfigProblems(topology: unknown): string[] {
  if (!isObject(topology)) return [];
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  return modelValueProblems(model, '');
}
