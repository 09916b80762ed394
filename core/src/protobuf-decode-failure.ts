/**
 * protobufjs's reasons for refusing bytes (a SavedModel, an ONNX model) ("index out of range: 600 + 564754 > 9053", "invalid wire
 * type 7 at offset 3612") said in words about the file, so that no reader-internal message reaches
 * the user.
 */
export function protobufDecodeFailure(e: unknown, size: number): string {
  const message = e instanceof Error ? e.message : String(e);
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(message);
  if (range) return `a field at byte ${range[1]} claims ${range[2]} byte(s), past the end of the data (${range[3]} bytes)`;
  if (/index out of range/.test(message)) return `the data (${size} bytes) ends inside a field`;
  const wire = /invalid wire type (\d+) at offset (\d+)/.exec(message);
  if (wire) return `byte ${wire[2]} starts a field of wire type ${wire[1]}, which protobuf does not have`;
  // A TypeError from decode or toObject: a field holds a value its schema does not allow there.
  if (e instanceof TypeError) return 'a field holds a value of a kind its message does not allow there';
  return `the bytes do not decode as this message (${message.replace(/index out of range|out of range/gi, 'past the end')})`;
}
