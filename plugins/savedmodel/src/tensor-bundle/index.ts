export { crc32c, crc32cExtend, maskCrc32c, unmaskCrc32c } from './crc32c.js';
export { encodeTable, decodeTable, type TableEntry } from './leveldb-table.js';
export { bundleIndexFile, bundleDataFile } from './bundle-files.js';
export { encodeBundleIndex, decodeBundleIndex, type BundleEntry, type BundleIndex } from './bundle-index.js';
export { writeTensorBundle, encodeTensorBundle, type NamedTensors } from './write-bundle.js';
export { readTensorBundle, decodeTensorBundle } from './read-bundle.js';
