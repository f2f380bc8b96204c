// node:crypto's default export, which is also what require('crypto') returns (see
// requireEntries in scripts/shared/node-builtins.ts): every function, with webcrypto and
// subtle as getters, so that a CommonJS package requiring crypto does not load
// crypto.subtle at start.
import * as api from './api.ts'
import { getSubtle, getWebcrypto } from './web.ts'

export default {
  ...api,
  get subtle() {
    return getSubtle()
  },
  get webcrypto() {
    return getWebcrypto()
  },
}
