// crypto.subtle, built into the runtime as its own bytecode and evaluated the first time
// a function touches crypto.subtle, CryptoKey or SubtleCrypto (see
// scripts/runtime/lazy-builtins.ts), so a function that uses no crypto never reads it.
// The web layer hands it its DOMException class through setDOMException.
export { CryptoKey } from '../crypto-key.ts'
export { setDOMException } from '../crypto-native.ts'
export { SubtleCrypto, subtle } from '../crypto-subtle.ts'
