// The card's usage snippets, one per variant, with this model's signature keys, input names and shapes.
import type { Signature } from '@modelport/core';
import type { ModelCard } from './model-card.js';
import { exampleShape, pythonDType, tfjsDType } from './signature-text.js';

function pythonFeeds(signature: Signature, module: 'tf' | 'np'): string {
  return Object.entries(signature.inputs).map(([key, t]) => (module === 'tf'
    ? `${key}=tf.zeros(${JSON.stringify(exampleShape(t.shape))}, ${pythonDType(t.dtype, 'tf')})`
    : `${key}=np.zeros(${JSON.stringify(exampleShape(t.shape))}, ${pythonDType(t.dtype, 'np')})`)).join(', ');
}

export function savedModelUsage(card: ModelCard, url: string): string[] {
  const lines = ['### TensorFlow (SavedModel)', '', '```python', 'import tensorflow as tf', 'import tensorflow_hub as hub', '', `model = hub.load("${url}")`];
  for (const [key, signature] of Object.entries(card.signatures)) {
    const outputs = Object.keys(signature.outputs);
    lines.push(`outputs = model.signatures["${key}"](${pythonFeeds(signature, 'tf')})`, `print(${outputs.map((o) => `outputs["${o}"]`).join(', ')})`);
  }
  const [first] = Object.keys(card.signatures);
  lines.push('', '# As a Keras layer (a TF1-style SavedModel is called through one of its signatures):',
    `layer = hub.KerasLayer("${url}", signature="${first}", signature_outputs_as_dict=True)`, '```', '');
  if (card.fineTunable) {
    lines.push('The weights are stored as variables (`variables/`), in the `trainable_variables` collection: a TF1',
      'graph (or `tf.compat.v1` in TF2) that loads the SavedModel with `tf.compat.v1.saved_model.load(sess, ["serve"], path)`',
      'trains them. `hub.KerasLayer(..., trainable=True)` fine-tunes TF2 SavedModels (`format: saved_model_2`) only.', '');
  }
  return lines;
}

const JS_RESERVED = new Set(['class', 'default', 'function', 'var', 'let', 'const', 'new', 'delete', 'in', 'for', 'if', 'else', 'return', 'switch', 'case', 'this', 'typeof', 'void', 'with', 'yield', 'enum', 'export', 'import', 'super', 'throw', 'try', 'catch', 'finally', 'while', 'do', 'break', 'continue', 'instanceof', 'debugger', 'extends', 'null', 'true', 'false']);

/** An output key as a JavaScript variable name ('class' → 'class_'). */
function jsIdentifier(key: string): string {
  const id = key.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(\d)/, '_$1');
  return JS_RESERVED.has(id) ? `${id}_` : id;
}

/** A signature tensor's name as tfjs execute() takes it: the node, with ':0' left out. */
function tfjsNodeName(ref: string): string {
  return ref.replace(/:0$/, '');
}

export function tfjsUsage(card: ModelCard, url: string): string[] {
  const lines = ['### TensorFlow.js', '', '```js', "import * as tf from '@tensorflow/tfjs';", ''];
  for (const [key, signature] of Object.entries(card.signatures)) {
    const entry = card.tfjsFiles[key];
    if (!entry) continue;
    const file = entry.file;
    const load = file === 'model.json'
      ? `tf.loadGraphModel('${url}', { fromTFHub: true })`
      : `tf.loadGraphModel('${url}/${file}?tfjs-format=file')`;
    // tfjs feeds and fetches by node name, not by signature key: the snippet uses the names in model.json.
    const feeds = Object.entries(signature.inputs).map(([k, t]) => `'${tfjsNodeName(entry.inputs[k] ?? t.name)}': tf.zeros(${JSON.stringify(exampleShape(t.shape))}, '${tfjsDType(t.dtype)}')`).join(', ');
    const fetches = Object.entries(signature.outputs).map(([k, t]) => tfjsNodeName(entry.outputs[k] ?? t.name));
    const name = `model_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
    lines.push(`// signature "${key}": ${Object.keys(signature.inputs).join(', ')} → ${Object.keys(signature.outputs).join(', ')}`, `const ${name} = await ${load};`,
      `const [${Object.keys(signature.outputs).map(jsIdentifier).join(', ')}] = ${name}.execute({ ${feeds} }, ${JSON.stringify(fetches)});`);
  }
  lines.push('```', '');
  return lines;
}

export function tfliteUsage(card: ModelCard): string[] {
  const lines = ['### TensorFlow Lite', '', '```python', 'import numpy as np', 'import tensorflow as tf', '', 'interpreter = tf.lite.Interpreter(model_path="model.tflite")'];
  for (const [key, signature] of Object.entries(card.signatures)) {
    lines.push(`runner = interpreter.get_signature_runner("${key}")`, `outputs = runner(${pythonFeeds(signature, 'np')})`);
  }
  lines.push('```', '');
  return lines;
}
