// TextEncoder, TextDecoder, atob, btoa and structuredClone, built into the runtime as their
// own bytecode and evaluated on first use (see scripts/runtime/lazy-builtins.ts): Request
// and Response encode UTF-8 in the core without them.
import { atob, btoa } from '../base64.ts'
import { nameExports } from '../define-global.ts'
import { structuredClone } from '../structured-clone.ts'
import { TextDecoder, TextEncoder } from '../text-encoding.ts'

nameExports({ TextDecoder, TextEncoder, atob, btoa, structuredClone })

export { TextDecoder, TextEncoder, atob, btoa, structuredClone }
