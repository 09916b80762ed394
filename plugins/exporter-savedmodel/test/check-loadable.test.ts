import { expect } from 'chai';
import { GraphBuilder, GraphError, UnsupportedOpsError } from '@modelport/core';
import { assertTensorFlowCanLoad } from '../src/check-loadable.js';
import { graphDefOf, type GraphDefObject, type NodeDefObject } from '../src/graph-def.js';

/** x [-1, 8, 8, 3] → Conv2D → Relu, encoded: a GraphDef TensorFlow loads. */
function convGraphDef(): GraphDefObject {
  const b = new GraphBuilder();
  b.input('x', 'float32', [-1, 8, 8, 3]);
  b.constant('w', 'float32', [3, 3, 3, 4]);
  b.node('conv', { op: 'Conv2D', inputs: ['x:0', 'w:0'], attrs: { T: { type: 'float32' }, strides: { list: { i: [1, 1, 1, 1] } }, padding: { s: 'SAME' } } });
  b.node('relu', { op: 'Relu', inputs: ['conv:0'], attrs: { T: { type: 'float32' } } });
  return graphDefOf(b.outputs('relu:0').build());
}

const edit = (g: GraphDefObject, name: string, change: (n: NodeDefObject) => NodeDefObject): GraphDefObject =>
  ({ ...g, node: g.node.map((n) => (n.name === name ? change(n) : n)) });
const without = (attr: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(attr).filter(([k]) => k !== key)) as NodeDefObject['attr'];

describe('assertTensorFlowCanLoad', () => {
  it('passes a well-formed graph, whose defaults (data_format, dilations …) were filled in', () => {
    const g = convGraphDef();
    assertTensorFlowCanLoad(g);
    expect(Object.keys(g.node.find((n) => n.name === 'conv')!.attr).sort()).to.deep.equal(['T', 'data_format', 'dilations', 'explicit_paddings', 'padding', 'strides', 'use_cudnn_on_gpu']);
  });

  it('lists every malformed node at once: missing required attr, undeclared attr, bad value, input count, name', () => {
    let g = convGraphDef();
    g = edit(g, 'conv', (n) => ({ ...n, attr: { ...without(n.attr, 'strides'), padding: { s: Buffer.from('FULL') }, fused_ops: { list: {} } } }));
    g = edit(g, 'relu', (n) => ({ ...n, name: 'relu out', input: [...n.input, 'x'] }));
    expect(() => assertTensorFlowCanLoad(g)).to.throw(GraphError)
      .with.property('message').that.matches(/^2 node\(s\) TensorFlow would not load: /)
      .and.matches(/"conv" \(Conv2D\): attr "strides" \(list\(int\)\) is required/)
      .and.matches(/attr "padding" is "FULL", not one of SAME, VALID, EXPLICIT/)
      .and.matches(/attr "fused_ops" is not one of Conv2D's/)
      .and.matches(/"relu out" \(Relu\): the name has characters TensorFlow refuses.*2 input\(s\), Relu takes 1/);
  });

  it('counts variadic inputs by their number attr (ConcatV2 N)', () => {
    const b = new GraphBuilder();
    b.input('a', 'float32', [2]); b.input('c', 'float32', [2]);
    b.constant('axis', 'int32', [], [0]);
    b.node('cat', { op: 'ConcatV2', inputs: ['a:0', 'c:0', 'axis:0'], attrs: { N: { i: 3 }, T: { type: 'float32' } } });
    expect(() => assertTensorFlowCanLoad(graphDefOf(b.build()))).to.throw(GraphError, /"cat" \(ConcatV2\): 3 input\(s\), ConcatV2 takes 4/);
  });

  it('checks every edge\'s type against the OpDef, as TensorFlow\'s importer does (an int32 Const into a float Conv2D)', () => {
    const g = edit(convGraphDef(), 'w', (n) => ({ ...n, attr: { ...n.attr, dtype: { type: 'DT_INT32' } } }));
    expect(() => assertTensorFlowCanLoad(g)).to.throw(GraphError, /"conv" \(Conv2D\) input 1 expects DT_FLOAT but "w" is DT_INT32/);
  });

  it('refuses unknown ops in one UnsupportedOpsError naming each', () => {
    const g = convGraphDef();
    const bad = { ...g, node: [...g.node, { name: 'a', op: 'Foo', input: [], attr: {} }, { name: 'b', op: 'Bar', input: [], attr: {} }] };
    expect(() => assertTensorFlowCanLoad(bad)).to.throw(UnsupportedOpsError, /2 node\(s\) use ops that TensorFlow SavedModel cannot express: "a" \(Foo\), "b" \(Bar\)/);
  });
});
