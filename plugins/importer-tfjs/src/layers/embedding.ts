import { attrValue } from '@modelport/core';
import type { LayerConverterTable } from './layer-call.js';

export const EMBEDDING_LAYERS: LayerConverterTable = {
  Embedding: {
    // tfjs casts float ids to int32 (truncating) before the lookup; Cast does the same.
    convert: (call) => {
      let ids = call.inputs[0]!;
      const dtype = call.inputDTypes[0] ?? 'float32';
      if (dtype !== 'int32') {
        ids = call.op('Cast', 'Cast', [ids], { SrcT: attrValue.dtype(dtype), DstT: attrValue.dtype('int32'), Truncate: attrValue.bool(false) });
      }
      const axis = call.constant('GatherV2/axis', 'int32', [], [0]);
      return [call.op('GatherV2', 'GatherV2', [call.weight('embeddings'), ids, axis], {
        Tparams: attrValue.dtype('float32'), Tindices: attrValue.dtype('int32'), Taxis: attrValue.dtype('int32'), batch_dims: attrValue.int(0),
      })];
    },
  },
};
