// Picks the machine store from the environment, once, at start:
//   MACHINES_STORE_URL=etcd://host:2379[/key/prefix/]  -> etcd (its v3 HTTP gateway)
//   MACHINES_STORE_URL=postgres://user:pw@host:5432/db -> PostgreSQL (pg-store.ts, table `machines`)
//   unset                                             -> in memory, with a warning
// The PostgreSQL store (and pg with it) is imported at its first use, so the other
// stores never load it.
// A value we cannot use stops the function at start, rather than at the first request.
import { EtcdStore } from './etcd-store.ts'
import { MemoryStore, type MachineStore, type Page } from './store.ts'
import type { Machine } from './machine.ts'

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
  const timeout = env.MACHINES_STORE_TIMEOUT_MS
  if (/^postgres(ql)?:\/\//.test(url)) return new DeferredStore('postgres', () => import('./pg-store.ts').then((m) => new m.PgStore({ url, timeoutMs: timeoutOf(timeout) })))
  const m = ETCD_URL.exec(url)
  if (!m) {
    throw new Error(
      `MACHINES_STORE_URL=${JSON.stringify(redact(url))} is not a store this function knows; use etcd://host:2379 (optionally with a key prefix path, etcd://host:2379/team-a/machines/), postgres://user:password@host:5432/db, or unset it for the in-memory store`,
    )
  }
  const prefix = m[2] && m[2] !== '/' ? m[2].replace(/\/*$/, '/') : '/machines/'
  return new EtcdStore({ endpoint: `http://${m[1]}`, prefix, timeoutMs: timeoutOf(timeout) })
}

function timeoutOf(timeout: string | undefined): number | undefined {
  const timeoutMs = timeout === undefined || timeout === '' ? undefined : Number(timeout)
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new Error(`MACHINES_STORE_TIMEOUT_MS=${JSON.stringify(timeout)} must be a whole number of milliseconds`)
  }
  return timeoutMs
}

const redact = (url: string) => url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@')

/** A store made at its first use (its module imported then). */
class DeferredStore implements MachineStore {
  readonly kind: string
  #make: () => Promise<MachineStore>
  #store: Promise<MachineStore> | null = null
  constructor(kind: string, make: () => Promise<MachineStore>) {
    this.kind = kind
    this.#make = make
  }
  #get(): Promise<MachineStore> {
    return (this.#store ??= this.#make())
  }
  async create(machine: Machine) {
    return (await this.#get()).create(machine)
  }
  async get(id: string) {
    return (await this.#get()).get(id)
  }
  async list(options: { limit: number; after?: string }): Promise<Page> {
    return (await this.#get()).list(options)
  }
  async replace(machine: Machine) {
    return (await this.#get()).replace(machine)
  }
  async remove(id: string) {
    return (await this.#get()).remove(id)
  }
}
