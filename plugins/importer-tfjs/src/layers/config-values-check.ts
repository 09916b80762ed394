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
const NESTED_MODELS = new Set(['Sequential', 'Model', 'Functional']);

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
const isWhole = (v: unknown): v is number => Number.isSafeInteger(v) && Math.abs(v as number) < LIMIT;

function layersOf(model: Json): unknown[] {
  const config = model.config;
  if (Array.isArray(config)) return config;
  return isObject(config) && Array.isArray(config.layers) ? config.layers : [];
}

function wholeNumberProblem(key: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (values.every(isWhole)) return undefined;
  return `${key} is ${show(value)}, expected whole numbers between -2^31 and 2^31`;
}

function shapeProblem(key: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Array.isArray(value)) return `${key} is ${show(value)}, expected a list of dimensions`;
  const open = (d: unknown) => d === null || d === -1;
  if (!value.every((d) => open(d) || (isWhole(d) && d >= 0))) {
    return `${key} is ${show(value)}, expected whole numbers from 0 to 2^31 (null or -1 for an open dimension)`;
  }
  const count = value.reduce<number>((n, d) => n * (open(d) ? 1 : (d as number)), 1);
  return count > LIMIT ? `${key} ${show(value)} holds ${count} elements, more than 2^31` : undefined;
}

function configProblems(config: Json): string[] {
  const problems: string[] = [];
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
  for (const [key, allowed] of Object.entries(ENUMS)) {
    const value = config[key];
    if (value !== undefined && value !== null && !(typeof value === 'string' && allowed.includes(value))) {
      problems.push(`${key} is ${show(value)}, expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    }
  }
  return problems;
}

/** The problems of one model's layers (and of the models nested in it), each naming its layer. */
function modelValueProblems(model: Json, prefix: string): string[] {
  const problems: string[] = [];
  if (isObject(model.config) && model.config.name !== undefined && typeof model.config.name !== 'string') {
    problems.push(`model ${prefix ? `"${prefix.slice(0, -1)}" ` : ''}name is ${show(model.config.name)}, expected a string`);
  }
  layersOf(model).forEach((raw, i) => {
    if (!isObject(raw)) { problems.push(`layer #${i}${prefix ? ` of "${prefix.slice(0, -1)}"` : ''} is ${show(raw)}, expected an object`); return; }
    const config = isObject(raw.config) ? raw.config : {};
    const name = typeof raw.name === 'string' ? raw.name : typeof config.name === 'string' ? config.name : undefined;
    const which = name !== undefined ? `layer "${prefix}${name}"` : `layer #${i}${prefix ? ` of "${prefix.slice(0, -1)}"` : ''}`;
    const className = raw.class_name ?? raw.className;
    if (typeof className !== 'string' || !className) problems.push(`${which}: class_name is ${show(className)}, expected the layer's class name`);
    if (raw.name !== undefined && typeof raw.name !== 'string') problems.push(`${which}: name is ${show(raw.name)}, expected a string`);
    if (config.name !== undefined && typeof config.name !== 'string') problems.push(`${which}: config.name is ${show(config.name)}, expected a string`);
    else if (typeof raw.name === 'string' && typeof config.name === 'string' && raw.name !== config.name) {
      problems.push(`${which}: config.name is ${show(config.name)}, expected the layer's name ${show(raw.name)}`);
    }
    if (raw.config !== undefined && !isObject(raw.config)) problems.push(`${which}: config is ${show(raw.config)}, expected an object`);
    if (typeof className === 'string' && NESTED_MODELS.has(className)) {
      problems.push(...modelValueProblems({ class_name: className, config: raw.config }, `${prefix}${name ?? `#${i}`}/`));
    } else {
      problems.push(...configProblems(config).map((p) => `${which}: ${p}`));
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
