// The shim's internal entry points, in one place: the fields the core reads and writes
// to make each request's Request and to answer a plain Response in one call, and a
// Response's parts for the answers it leaves to the shim (streams, Blobs, subclasses).
export { requestFields } from './request.ts'
export { responseFields, responseParts } from './response.ts'
