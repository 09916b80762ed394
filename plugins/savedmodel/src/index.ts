export { tensorflowProto, messageType, TO_OBJECT_OPTIONS } from './proto/messages.js';
export * from './tensor-bundle/index.js';
