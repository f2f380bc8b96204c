// Picks the machine store from the environment, once, at start:
//   MACHINES_STORE_URL=etcd://host:2379[/key/prefix/]  -> etcd (its v3 HTTP gateway)
//   unset                                             -> in memory, with a warning
// A value we cannot use stops the function at start, rather than at the first request.
import { EtcdStore } from './etcd-store.ts'
import { MemoryStore, type MachineStore } from './store.ts'

const ETCD_URL = /^etcd:\/\/([^/?#\s]+)(\/[^?#\s]*)?$/

export function storeFromEnv(env: Record<string, string | undefined>, log: (line: string) => void = console.log): MachineStore {
  const url = env.MACHINES_STORE_URL?.trim()
  if (!url) {
    log(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'warn',
        msg: 'MACHINES_STORE_URL is not set: machines are kept in memory and lost on restart; set it to etcd://host:2379 to keep them',
      }),
    )
    return new MemoryStore()
  }
  const m = ETCD_URL.exec(url)
  if (!m) {
    throw new Error(
      `MACHINES_STORE_URL=${JSON.stringify(url)} is not a store this function knows; use etcd://host:2379 (optionally with a key prefix path, etcd://host:2379/team-a/machines/), or unset it for the in-memory store`,
    )
  }
  const timeout = env.MACHINES_STORE_TIMEOUT_MS
  const timeoutMs = timeout === undefined || timeout === '' ? undefined : Number(timeout)
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new Error(`MACHINES_STORE_TIMEOUT_MS=${JSON.stringify(timeout)} must be a whole number of milliseconds`)
  }
  const prefix = m[2] && m[2] !== '/' ? m[2].replace(/\/*$/, '/') : '/machines/'
  return new EtcdStore({ endpoint: `http://${m[1]}`, prefix, timeoutMs })
}
