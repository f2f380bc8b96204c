// webcrypto and subtle are the runtime's crypto and crypto.subtle, read when asked for:
// crypto.subtle loads its builtin on first read (2.2 M instructions).
export const getSubtle = (): SubtleCrypto => globalThis.crypto.subtle
export const getWebcrypto = (): Crypto => globalThis.crypto
