import type { OnnxOpTable } from '../converter.js';
import { activationOps } from './activation.js';
import { convOps } from './conv.js';
import { elementwiseOps } from './elementwise.js';
import { gatherOps } from './gather.js';
import { matmulOps } from './matmul.js';
import { nmsOps } from './nms.js';
import { normalizationOps } from './normalization.js';
import { padOps } from './pad.js';
import { poolOps } from './pool.js';
import { reduceOps } from './reduce.js';
import { scatterOps } from './scatter.js';
import { resizeOps } from './resize.js';
import { selectOps } from './select.js';
import { shapeOps } from './shape.js';
import { sliceOps } from './slice.js';
import { spaceOps } from './space.js';
import { tensorArrayOps } from './tensor-array.js';
import { topkOps } from './topk.js';
import { unaryOps } from './unary.js';

/** Every IR op the ONNX exporter translates, by op name; one file per op family. */
export const ONNX_OP_TABLE: OnnxOpTable = Object.freeze({
  ...activationOps, ...convOps, ...elementwiseOps, ...gatherOps, ...matmulOps, ...nmsOps, ...normalizationOps, ...padOps, ...poolOps,
  ...reduceOps, ...resizeOps, ...scatterOps, ...selectOps, ...shapeOps, ...sliceOps, ...spaceOps, ...tensorArrayOps, ...topkOps, ...unaryOps,
});
