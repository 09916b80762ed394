import { attrValue, tensorRef, type Graph } from '@modelport/core';

/** The signature TF1 Hub text modules (BERT) answer tokenization questions with: hub users call it. */
export const TOKENIZATION_SIGNATURE = 'tokenization_info';

/**
 * The graph with a `tokenization_info` signature (no inputs) whose output `do_lower_case` is a bool
 * scalar Const. A TF1-style SavedModel has no object graph to hang a tf.Variable on, as TF2 BERT
 * exports do: a signature is what a TF1 SavedModel exposes, and what TF1 Hub BERT modules exposed
 * (`m(signature="tokenization_info", as_dict=True)`). The vocabulary itself is assets/vocab.txt.
 */
export function withTokenizationSignature(graph: Graph, doLowerCase: boolean): Graph {
  if (graph.signatures[TOKENIZATION_SIGNATURE]) return graph;
  let name = 'tokenization_info/do_lower_case';
  for (let i = 1; graph.nodes.some((n) => n.name === name); i++) name = `tokenization_info/do_lower_case_${i}`;
  const constants = new Map(graph.constants);
  constants.set(name, { dtype: 'bool', shape: [], values: Uint8Array.of(doLowerCase ? 1 : 0) });
  return {
    ...graph,
    constants,
    nodes: [...graph.nodes, { name, op: 'Const', inputs: [], attrs: { dtype: attrValue.dtype('bool'), value: { tensor: { dtype: 'bool', shape: [] } } } }],
    signatures: {
      ...graph.signatures,
      [TOKENIZATION_SIGNATURE]: { inputs: {}, outputs: { do_lower_case: { name: tensorRef(name), dtype: 'bool', shape: [] } }, methodName: 'tensorflow/serving/predict' },
    },
  };
}
