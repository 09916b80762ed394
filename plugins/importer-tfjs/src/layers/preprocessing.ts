import { attrValue } from '@modelport/core';
import { configNumber } from './config.js';
import type { LayerConverterTable } from './layer-call.js';
import { binary, scalar } from './ops.js';

export const PREPROCESSING_LAYERS: LayerConverterTable = {
  Rescaling: {
    // x·scale + offset, on float32 (tfjs casts other inputs first).
    convert: (call) => {
      let x = call.inputs[0]!;
      const dtype = call.inputDTypes[0] ?? 'float32';
      if (dtype !== 'float32') x = call.op('Cast', 'Cast', [x], { SrcT: attrValue.dtype(dtype), DstT: attrValue.dtype('float32'), Truncate: attrValue.bool(false) });
      const scaled = binary(call, 'Mul', x, scalar(call, 'scale', configNumber(call.config, 'scale', 1)), 'mul');
      return [binary(call, 'AddV2', scaled, scalar(call, 'offset', configNumber(call.config, 'offset', 0)), 'add')];
    },
  },
};
