// The global crypto (getRandomValues, randomUUID, and the door to crypto.subtle, a builtin of
// its own), built into the runtime as its own bytecode and evaluated on first use (see
// scripts/runtime/lazy-builtins.ts).
import { Crypto, crypto, subtleBuiltin } from '../crypto.ts'
import { nameExports } from '../define-global.ts'

nameExports({ Crypto })

export { Crypto, crypto, subtleBuiltin }
