// Injected where a bundle names `Buffer` without importing it, as Node code does.
export { Buffer } from '../buffer.ts'
