export { tensorflowProto, messageType, TO_OBJECT_OPTIONS } from './proto/messages.js';
export { constantFromTensorProto, type TensorProtoObject } from './tensor-proto.js';
export { readSavedModel, type ReadSavedModel, type ReadSavedModelOptions } from './read-saved-model.js';
export { locateSavedModel, decodeSavedModel, SAVED_MODEL_PB, type SavedModelLocation } from './read/decode-saved-model.js';
export type { SavedModelObject, MetaGraphDefObject, SignatureDefObject, GraphDefObject, NodeDefObject } from './read/saved-model-object.js';
export { describeSavedModel, savedModelDescriber } from './describe-saved-model.js';
export * from './tensor-bundle/index.js';
