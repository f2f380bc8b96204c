// Injected where a bundle names setImmediate or clearImmediate without importing them.
export { clearImmediate, setImmediate } from '../internal/immediate.ts'
