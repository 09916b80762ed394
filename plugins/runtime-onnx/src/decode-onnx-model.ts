import onnxProto from 'onnx-proto';
import { ModelLoadError, protobufDecodeFailure } from '@modelport/core';

const { onnx } = onnxProto;

/** The ModelProto in `bytes`, or one ModelLoadError naming the file and where its bytes go wrong. */
export function decodeOnnxModel(bytes: Uint8Array, file: string): onnxProto.onnx.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ModelLoadError(`not an ONNX model, or cut short: ${protobufDecodeFailure(e, bytes.length)} (expected an ONNX ModelProto)`, { file }, { cause: e });
  }
}
