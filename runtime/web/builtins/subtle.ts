// crypto.subtle, built into the runtime as its own bytecode and evaluated the first time
// a function touches crypto.subtle, CryptoKey or SubtleCrypto (see
// scripts/runtime/lazy-builtins.ts), so a function that uses no crypto never reads it.
// The web layer hands it its DOMException class through setDOMException; node:crypto's
// KeyObject.from reads a key's material through isCryptoKey and materialOf.
export { CryptoKey, isCryptoKey, materialOf } from '../crypto-key.ts'
export { setDOMException } from '../crypto-native.ts'
export { SubtleCrypto, subtle } from '../crypto-subtle.ts'
