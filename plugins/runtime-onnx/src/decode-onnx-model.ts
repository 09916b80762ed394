import onnxProto from 'onnx-proto';
import { ModelLoadError } from '@modelport/core';

const { onnx } = onnxProto;

/** protobufjs's reason for refusing the bytes, said about the file ("index out of range: 600 + 564754 > 9053" is not for users). */
function decodeFailure(e: unknown, size: number): string {
  const message = e instanceof Error ? e.message : String(e);
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(message);
  if (range) return `a field at byte ${range[1]} claims ${range[2]} byte(s), past the end of the file (${range[3]} bytes)`;
  if (/index out of range/.test(message)) return `the file (${size} bytes) ends inside a field`;
  const wire = /invalid wire type (\d+) at offset (\d+)/.exec(message);
  if (wire) return `byte ${wire[2]} starts a field of wire type ${wire[1]}, which protobuf does not have`;
  if (e instanceof TypeError) return 'a field holds a value of a kind its message does not allow there';
  return `the bytes do not decode (${message.replace(/index out of range|out of range/gi, 'past the end')})`;
}

/** The ModelProto in `bytes`, or one ModelLoadError naming the file and where its bytes go wrong. */
export function decodeOnnxModel(bytes: Uint8Array, file: string): onnxProto.onnx.ModelProto {
  try {
    return onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new ModelLoadError(`not an ONNX model, or cut short: ${decodeFailure(e, bytes.length)} (expected an ONNX ModelProto)`, { file }, { cause: e });
  }
}
