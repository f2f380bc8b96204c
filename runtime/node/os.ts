// node:os, the part a function in a container can answer truthfully: EOL, platform,
// arch, hostname (the pod's), tmpdir, homedir, uptime. Kept because logging and config
// libraries import it for exactly these (pino's hostname, dotenv-style EOL handling).
// Memory and CPU figures belong to the node, not the function, and a FROM-scratch image
// cannot read them without /proc and /sys: totalmem, freemem, loadavg, cpus and
// networkInterfaces say so when called, instead of inventing numbers.
const env = globalThis.process.env

function unavailable(name: string): () => never {
  return () => {
    throw new Error(`os.${name}() is not available in scratchfn: a function's image cannot see the machine; set what you need through env`)
  }
}

export const EOL = '\n'
export const devNull = '/dev/null'
export const platform = (): string => 'linux'
export const type = (): string => 'Linux'
export const arch = (): string => 'x64'
export const machine = (): string => 'x86_64'
export const endianness = (): 'LE' => 'LE'
export const hostname = (): string => env.HOSTNAME ?? 'localhost'
export const homedir = (): string => env.HOME ?? '/'
export const tmpdir = (): string => (env.TMPDIR ?? env.TMP ?? env.TEMP ?? '/tmp').replace(/(.)\/$/, '$1')
export const uptime = (): number => globalThis.process.uptime()
export const availableParallelism = (): number => 1
export const release = unavailable('release')
export const version = unavailable('version')
export const totalmem = unavailable('totalmem')
export const freemem = unavailable('freemem')
export const loadavg = unavailable('loadavg')
export const cpus = unavailable('cpus')
export const networkInterfaces = unavailable('networkInterfaces')
export const userInfo = unavailable('userInfo')
export const constants = {
  signals: { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGUSR1: 10, SIGUSR2: 12, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 },
  errno: {},
  priority: {},
}

export default {
  EOL,
  devNull,
  platform,
  type,
  arch,
  machine,
  endianness,
  hostname,
  homedir,
  tmpdir,
  uptime,
  availableParallelism,
  release,
  version,
  totalmem,
  freemem,
  loadavg,
  cpus,
  networkInterfaces,
  userInfo,
  constants,
}
