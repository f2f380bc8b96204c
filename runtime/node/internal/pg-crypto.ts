// What pg (node-postgres) gets for node:crypto in an image bundle: the two things it uses,
// createHash('md5') for MD5 logins and webcrypto for SCRAM-SHA-256 (its PBKDF2, HMAC and
// random nonce), both on the runtime's C crypto, so a function on PostgreSQL does not
// carry the rest of node:crypto.
export { createHash } from '../crypto/hash.ts'
export const webcrypto: Crypto = globalThis.crypto
