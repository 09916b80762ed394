import { expect } from 'chai';
import { composeSignatures, GraphBuilder, type ExportModule, type Graph, type Shape } from '../src/index.js';

/** x [-1, 4] → Reshape [-1, 2, 2] → y, its signature output declared without a shape (as tfjs graph models often do). */
function unshaped(): Graph {
  const b = new GraphBuilder();
  const x = b.input('x', 'float32', [-1, 4]);
  const shape = b.constant('shape', 'int32', [3], [-1, 2, 2]);
  const y = b.node('y', { op: 'Reshape', inputs: [x, shape], attrs: { T: { type: 'float32' }, Tshape: { type: 'int32' } } });
  return b.outputs(y).signature('serving_default', {
    inputs: { x: { name: 'x:0', dtype: 'float32', shape: [-1, 4] } },
    outputs: { y: { name: y, dtype: 'float32', shape: null } },
  }).build();
}

describe('export modules: the model as modules see it', () => {
  it('gives outputs the model file leaves unshaped their inferred shape, -1 for the batch', () => {
    const seen: Record<string, Shape> = {};
    const probe: ExportModule = {
      kind: 'output', name: 'probe',
      build(ctx, _o, outputs) {
        seen.model = ctx.model.outputs.y!.shape;
        seen.stage = outputs.y!.shape;
        return { outputs: { y: outputs.y! } };
      },
    };
    const graph = composeSignatures(unshaped(), { signatures: { s: ['probe'] } }, [{ plugin: 'p', value: probe }]);
    expect(seen).to.deep.equal({ model: [-1, 2, 2], stage: [-1, 2, 2] });
    expect(graph.signatures.serving_default!.outputs.y!.shape).to.equal(null); // the kept signature is the model's own
  });
});
