// Imported before onnxruntime-node everywhere in this package. onnxruntime 1.29+ starts a telemetry
// client on load that writes an empty mat-debug-<pid>.log into /tmp in every process;
// ORT_DISABLE_TELEMETRY=1, set before the library initialises, stops both (microsoft/onnxruntime#27379).
// A value the user set is kept.
process.env.ORT_DISABLE_TELEMETRY ??= '1';
export {};
