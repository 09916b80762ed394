import type { TfliteOpTable } from '../conversion.js';
import { activationOps } from './activation.js';
import { convOps } from './conv.js';
import { elementwiseOps } from './elementwise.js';
import { gatherOps } from './gather.js';
import { joinOps } from './join.js';
import { matmulOps } from './matmul.js';
import { nmsOps } from './nms.js';
import { normalizationOps } from './normalization.js';
import { padOps } from './pad.js';
import { poolOps } from './pool.js';
import { reduceOps } from './reduce.js';
import { resizeOps } from './resize.js';
import { shapeOps } from './shape.js';
import { sliceOps } from './slice.js';
import { spaceOps } from './space.js';
import { tensorListOps } from './tensor-list.js';
import { unaryOps } from './unary.js';

/** Every IR op the exporter translates to TFLite builtins, by family. */
export const TFLITE_OPS: TfliteOpTable = Object.freeze({
  ...convOps, ...poolOps, ...matmulOps, ...activationOps, ...elementwiseOps, ...unaryOps, ...shapeOps,
  ...sliceOps, ...joinOps, ...reduceOps, ...gatherOps, ...resizeOps, ...padOps, ...spaceOps, ...normalizationOps,
  ...nmsOps, ...tensorListOps,
});
