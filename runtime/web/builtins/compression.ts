// CompressionStream, DecompressionStream and the zlib pair fetch decodes bodies with,
// built into the runtime as its own bytecode and evaluated on first use (see
// scripts/runtime/lazy-builtins.ts): most functions never compress.
export { CompressionStream, DecompressionStream, zlibPair } from '../compression-streams.ts'
