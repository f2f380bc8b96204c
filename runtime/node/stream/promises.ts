// node:stream/promises: pipeline and finished as promises (readable-stream's).
import promises from 'readable-stream/lib/stream/promises.js'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const p = promises as any as typeof import('node:stream/promises')
export const { pipeline, finished } = p
export default p
