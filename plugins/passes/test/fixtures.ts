import { attrValue, GraphBuilder, tensorRef, type Graph } from '@modelport/core';

/**
 * A v1 cond as TF 1.x and grappler write it: Switch on `pred`, pivot Identities on each side that
 * gate the branch's Consts by control input, an Identity inside the true branch, Merge of both.
 * out = pred ? relu(x) * 3 : x * -1
 */
export function condGraph(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2]);
  const pred = b.input('pred', 'bool', []);
  b.node('cond/Switch', { op: 'Switch', inputs: [x, pred] });
  const pivotT = b.node('cond/pivot_t', { op: 'Identity', inputs: ['cond/Switch:1'] });
  const pivotF = b.node('cond/pivot_f', { op: 'Identity', inputs: ['cond/Switch:0'] });
  b.constant('cond/three', 'float32', [], [3]);
  b.constant('cond/minus_one', 'float32', [], [-1]);
  const gated = (name: string, pivot: string) => b.node(`${name}/gated`, { op: 'Identity', inputs: [tensorRef(name)], controlInputs: [pivot.replace(/:0$/, '')] });
  const three = gated('cond/three', pivotT);
  const minusOne = gated('cond/minus_one', pivotF);
  const relu = b.node('cond/then/relu', { op: 'Relu', inputs: ['cond/Switch:1'] });
  const reluId = b.node('cond/then/relu_identity', { op: 'Identity', inputs: [relu] });
  const t = b.node('cond/then/mul', { op: 'Mul', inputs: [reluId, three] });
  const f = b.node('cond/else/mul', { op: 'Mul', inputs: ['cond/Switch:0', minusOne] });
  const merge = b.node('cond/Merge', { op: 'Merge', inputs: [f, t], attrs: { N: attrValue.int(2) } });
  const out = b.node('out', { op: 'Identity', inputs: [merge] });
  return b.outputs(out).signature('serving_default', {
    inputs: { x: { name: x, dtype: 'float32', shape: [2] }, pred: { name: pred, dtype: 'bool', shape: [] } },
    outputs: { out: { name: out, dtype: 'float32', shape: [2] } },
  }).build();
}

/**
 * A v1 while loop: acc = x; for (i = 0; i < 3; i++) acc = acc * 2; out = relu(acc).
 * The body reads its Consts through control inputs on the Switch's Identity, as TF writes it; the
 * NextIteration → Merge edges point forward in the node order. An Identity sits in the body.
 */
export function whileLoopGraph(options: { computedLimit?: boolean } = {}): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [2]);
  const zero = b.constant('zero', 'int32', [], [0]);
  // computedLimit: the limit is 1 + 2 outside the loop, a constant subgraph feeding an Enter.
  const limit = options.computedLimit
    ? b.node('limit', { op: 'AddV2', inputs: [b.constant('limit/a', 'int32', [], [1]), b.constant('limit/b', 'int32', [], [2])] })
    : b.constant('limit', 'int32', [], [3]);
  const frame = { frame_name: attrValue.string('while/frame'), is_constant: attrValue.bool(false), parallel_iterations: attrValue.int(10) };
  const enterI = b.node('while/Enter_i', { op: 'Enter', inputs: [zero], attrs: frame });
  const enterAcc = b.node('while/Enter_acc', { op: 'Enter', inputs: [x], attrs: frame });
  const enterLimit = b.node('while/Enter_limit', { op: 'Enter', inputs: [limit], attrs: { ...frame, is_constant: attrValue.bool(true) } });
  const mergeI = b.node('while/Merge_i', { op: 'Merge', inputs: [enterI, 'while/NextIteration_i:0'], attrs: { N: attrValue.int(2) } });
  const mergeAcc = b.node('while/Merge_acc', { op: 'Merge', inputs: [enterAcc, 'while/NextIteration_acc:0'], attrs: { N: attrValue.int(2) } });
  const less = b.node('while/Less', { op: 'Less', inputs: [mergeI, enterLimit] });
  const cond = b.node('while/LoopCond', { op: 'LoopCond', inputs: [less] });
  b.node('while/Switch_i', { op: 'Switch', inputs: [mergeI, cond] });
  b.node('while/Switch_acc', { op: 'Switch', inputs: [mergeAcc, cond] });
  const bodyI = b.node('while/Identity_i', { op: 'Identity', inputs: ['while/Switch_i:1'] });
  const bodyAcc = b.node('while/Identity_acc', { op: 'Identity', inputs: ['while/Switch_acc:1'] });
  const one = b.constant('while/one', 'int32', [], [1]);
  const two = b.constant('while/two', 'float32', [], [2]);
  const oneInLoop = b.node('while/one/read', { op: 'Identity', inputs: [one], controlInputs: ['while/Identity_i'] });
  const twoInLoop = b.node('while/two/read', { op: 'Identity', inputs: [two], controlInputs: ['while/Identity_i'] });
  const nextI = b.node('while/add', { op: 'AddV2', inputs: [bodyI, oneInLoop] });
  const doubled = b.node('while/mul', { op: 'Mul', inputs: [bodyAcc, twoInLoop] });
  const doubledId = b.node('while/mul/identity', { op: 'Identity', inputs: [doubled] });
  b.node('while/NextIteration_i', { op: 'NextIteration', inputs: [nextI] });
  b.node('while/NextIteration_acc', { op: 'NextIteration', inputs: [doubledId] });
  const exit = b.node('while/Exit_acc', { op: 'Exit', inputs: ['while/Switch_acc:0'] });
  b.node('while/Exit_i', { op: 'Exit', inputs: ['while/Switch_i:0'] });
  const out = b.node('out', { op: 'Relu', inputs: [exit] });
  return b.outputs(out).build();
}
