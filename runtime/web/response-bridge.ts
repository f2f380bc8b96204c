// The two internal entry points the shim uses on the hot path, in one place: a Request
// built from what the core parsed, and a Response's parts ready for one native write.
export { requestFromCore } from './request.ts'
export { responseParts } from './response.ts'
