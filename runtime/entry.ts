// The runtime's embedded script: the Web APIs first, then the shim that serves the app.
import './web/index.ts'
import './shim/scratchfn.ts'
