// node:path: POSIX paths, from path-browserify (a port of Node's path.posix). Functions
// run on Linux, so path.win32 is there only to say so when used.
import browserPath from 'path-browserify'

type PosixPath = typeof import('node:path').posix

function refuseWin32(): never {
  throw new Error('path.win32 is not available in scratchfn: functions run on Linux; use path (POSIX)')
}

const win32 = new Proxy({}, { get: (_t, key) => (key === 'sep' ? '\\' : key === 'delimiter' ? ';' : refuseWin32) }) as PosixPath
const path = browserPath as unknown as PosixPath & { win32: unknown }
path.win32 = win32

export const {
  basename,
  delimiter,
  dirname,
  extname,
  format,
  isAbsolute,
  join,
  normalize,
  parse,
  relative,
  resolve,
  sep,
  toNamespacedPath,
} = path
export { win32 }
export const posix = path
export default path
