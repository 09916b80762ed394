// tfjs-converter's op tables are the truth of what tf.loadGraphModel can execute; it exports no
// accessor for them, so the table modules are read from its dist folder (pinned by our ^4.22 range).
import * as arithmetic from '@tensorflow/tfjs-converter/dist/operations/op_list/arithmetic.js';
import * as basicMath from '@tensorflow/tfjs-converter/dist/operations/op_list/basic_math.js';
import * as control from '@tensorflow/tfjs-converter/dist/operations/op_list/control.js';
import * as convolution from '@tensorflow/tfjs-converter/dist/operations/op_list/convolution.js';
import * as creation from '@tensorflow/tfjs-converter/dist/operations/op_list/creation.js';
import * as dynamic from '@tensorflow/tfjs-converter/dist/operations/op_list/dynamic.js';
import * as evaluation from '@tensorflow/tfjs-converter/dist/operations/op_list/evaluation.js';
import * as graphOps from '@tensorflow/tfjs-converter/dist/operations/op_list/graph.js';
import * as hashTable from '@tensorflow/tfjs-converter/dist/operations/op_list/hash_table.js';
import * as image from '@tensorflow/tfjs-converter/dist/operations/op_list/image.js';
import * as logical from '@tensorflow/tfjs-converter/dist/operations/op_list/logical.js';
import * as matrices from '@tensorflow/tfjs-converter/dist/operations/op_list/matrices.js';
import * as normalization from '@tensorflow/tfjs-converter/dist/operations/op_list/normalization.js';
import * as reduction from '@tensorflow/tfjs-converter/dist/operations/op_list/reduction.js';
import * as sliceJoin from '@tensorflow/tfjs-converter/dist/operations/op_list/slice_join.js';
import * as sparse from '@tensorflow/tfjs-converter/dist/operations/op_list/sparse.js';
import * as spectral from '@tensorflow/tfjs-converter/dist/operations/op_list/spectral.js';
import * as string from '@tensorflow/tfjs-converter/dist/operations/op_list/string.js';
import * as transformation from '@tensorflow/tfjs-converter/dist/operations/op_list/transformation.js';

const TABLES = [arithmetic, basicMath, control, convolution, creation, dynamic, evaluation, graphOps, hashTable, image,
  logical, matrices, normalization, reduction, sliceJoin, sparse, spectral, string, transformation];

/** Op names tf.loadGraphModel executes: what the IR's tfjs executor (GraphExecutor) can run. */
export const TFJS_OPS: ReadonlySet<string> = new Set(TABLES.flatMap((t) => (t as { json: { tfOpName: string }[] }).json.map((m) => m.tfOpName)));

