// What packages that read optional files get for `fs` (pgpass reads ~/.pgpass, pg's
// connection strings read sslcert files): an image has no such files, so every call
// answers ENOENT, which these packages already take as "not configured".
function enoent(path: unknown): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${String(path)}' (a scratchfn image has no files)`), {
    code: 'ENOENT',
    errno: -2,
    path: String(path),
  })
}

type Cb = (err: Error) => void
const last = (args: unknown[]) => args[args.length - 1] as Cb

export const stat = (path: unknown, ...rest: unknown[]) => globalThis.process.nextTick(() => last(rest)(enoent(path)))
export const readFile = stat
export const statSync = (path: unknown): never => {
  throw enoent(path)
}
export const readFileSync = statSync
export const existsSync = (): boolean => false
export const createReadStream = statSync

export const promises = {
  readFile: (path: unknown): Promise<never> => Promise.reject(enoent(path)),
  stat: (path: unknown): Promise<never> => Promise.reject(enoent(path)),
}

export default { stat, readFile, statSync, readFileSync, existsSync, createReadStream, promises }
