// node:crypto on the runtime's C crypto (runtime/core/crypto-*.c: mbedTLS and libsodium,
// the same functions crypto.subtle uses), with Node 20's arguments, results and error
// codes. Each part is a file under crypto/; webcrypto and subtle are the runtime's own.
import { getSubtle, getWebcrypto } from './crypto/web.ts'

export * from './crypto/api.ts'
export { default } from './crypto/default.ts'

// Pure calls, dropped from a bundle that does not import them.
export const webcrypto = /* @__PURE__ */ getWebcrypto()
export const subtle = /* @__PURE__ */ getSubtle()
