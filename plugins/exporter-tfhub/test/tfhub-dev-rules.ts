// The metadata rules of tfhub.dev's documentation validator (tensorflow/tfhub.dev,
// tools/validator.py: *_HANDLE_PATTERN, METADATA_LINE_PATTERN and each ParsingPolicy's required and
// optional tags), transcribed to check our cards here, where the validator (Python + TF) cannot run.

const HANDLE = '[\\w-]+/[\\w.-]+(/[\\w.-]+)*/\\d+';
const METADATA_LINE = /^<!--((\w|\s|-)+):(.+)-->$/;
const REPEATED = new Set(['dataset', 'language', 'task', 'network-architecture']);

interface Policy { readonly required: readonly string[]; readonly optional: readonly string[]; readonly assetSuffix?: string }

const POLICIES: Readonly<Record<string, Policy>> = {
  Module: { required: ['asset-path', 'fine-tunable', 'format', 'task'], optional: ['network-architecture', 'colab', 'dataset', 'language', 'license', 'interactive-visualizer'], assetSuffix: '.tar.gz' },
  Placeholder: { required: ['task'], optional: ['dataset', 'fine-tunable', 'interactive-visualizer', 'language', 'license', 'network-architecture'] },
  Tfjs: { required: ['asset-path', 'parent-model'], optional: ['colab', 'demo', 'interactive-visualizer'], assetSuffix: '.tar.gz' },
  Lite: { required: ['asset-path', 'parent-model'], optional: ['colab', 'interactive-visualizer'], assetSuffix: '.tflite' },
};

/** What tfhub.dev's validator would refuse in a model documentation file (its metadata rules); [] when none. */
export function tfhubDevProblems(markdown: string): string[] {
  const lines = markdown.split('\n');
  const first = new RegExp(`^# (Module|Placeholder|Tfjs|Lite) ${HANDLE}$`).exec(lines[0] ?? '');
  if (!first) return [`first line "${lines[0]}" matches no handle pattern`];
  const policy = POLICIES[first[1]!]!;
  const problems: string[] = [];
  const metadata = new Map<string, string[]>();
  for (const line of lines.filter((l) => l.startsWith('<!--'))) {
    const m = METADATA_LINE.exec(line);
    if (!m) { problems.push(`metadata line "${line}" does not parse`); continue; }
    const key = m[1]!.trim();
    metadata.set(key, [...(metadata.get(key) ?? []), m[3]!.trim()]);
  }
  for (const key of policy.required) if (!metadata.has(key)) problems.push(`required metadata "${key}" is missing`);
  for (const key of metadata.keys()) if (!policy.required.includes(key) && !policy.optional.includes(key)) problems.push(`metadata "${key}" is not supported in a ${first[1]} file`);
  for (const [key, values] of metadata) if (values.length > 1 && !REPEATED.has(key)) problems.push(`metadata "${key}" is set ${values.length} times`);
  for (const task of metadata.get('task') ?? []) if (!/^(image|text|audio|video)-/.test(task)) problems.push(`task "${task}" has no image-/text-/audio-/video- prefix`);
  const asset = metadata.get('asset-path')?.[0];
  if (asset && policy.assetSuffix && !asset.endsWith(policy.assetSuffix)) problems.push(`asset-path "${asset}" does not end with ${policy.assetSuffix}`);
  const format = metadata.get('format')?.[0];
  if (first[1] === 'Module' && format && !['hub', 'saved_model', 'saved_model_2'].includes(format)) problems.push(`format "${format}" is not hub, saved_model or saved_model_2`);
  return problems;
}
