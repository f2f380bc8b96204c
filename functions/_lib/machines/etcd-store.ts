// Machines in etcd. Two keys per machine, written together in one transaction:
//   <prefix>id/<id>     -> the machine as JSON (listing walks these, in id order)
//   <prefix>name/<name> -> the id (the unique-name index)
// Create only applies if the name key is absent, so a duplicate is a 409 even
// when two requests race. Replace and remove compare the machine's mod revision,
// so a concurrent change is retried, never overwritten. etcd acknowledges a
// transaction only once it is in its fsynced log, and we answer 201/200/204
// only after that, so an acknowledged write survives an etcd crash.
import { EtcdClient, prefixEnd, type EtcdClientOptions, type KeyValue } from './etcd-client.ts'
import type { Machine } from './machine.ts'
import type { MachineStore, Page } from './store.ts'

export interface EtcdStoreOptions extends EtcdClientOptions {
  /** Key prefix, so one etcd can hold several registries (default '/machines/'). */
  prefix?: string
}

// Concurrent writers to one machine are rare; a few tries settle them.
const TRIES = 5

export class EtcdStore implements MachineStore {
  readonly kind = 'etcd'
  readonly client: EtcdClient
  readonly prefix: string

  constructor(options: EtcdStoreOptions) {
    this.client = new EtcdClient({ endpoint: options.endpoint, timeoutMs: options.timeoutMs })
    this.prefix = options.prefix ?? '/machines/'
  }

  #idKey(id: string) {
    return `${this.prefix}id/${id}`
  }
  #nameKey(name: string) {
    return `${this.prefix}name/${name}`
  }

  async create(machine: Machine) {
    const ok = await this.client.txn(
      [{ key: this.#nameKey(machine.name), absent: true }],
      [
        { put: this.#nameKey(machine.name), value: machine.id },
        { put: this.#idKey(machine.id), value: JSON.stringify(machine) },
      ],
    )
    return ok ? ('created' as const) : ('duplicate' as const)
  }

  async get(id: string) {
    const kv = await this.client.get(this.#idKey(id))
    return kv ? parse(kv) : null
  }

  async list({ limit, after }: { limit: number; after?: string }): Promise<Page> {
    const base = this.#idKey('')
    // '\0' is the smallest suffix, so the range starts just past `after`.
    const from = after === undefined ? base : this.#idKey(after) + '\0'
    const { kvs, more } = await this.client.range(from, { rangeEnd: prefixEnd(base), limit })
    const items = kvs.map(parse)
    return { items, next: more && items.length ? items[items.length - 1].id : null }
  }

  async replace(machine: Machine) {
    for (let i = 0; i < TRIES; i++) {
      const kv = await this.client.get(this.#idKey(machine.id))
      if (!kv) return 'not_found' as const
      const old = parse(kv)
      const same = old.name === machine.name
      const ok = await this.client.txn(
        same
          ? [{ key: kv.key, modRevision: kv.modRevision }]
          : [
              { key: kv.key, modRevision: kv.modRevision },
              { key: this.#nameKey(machine.name), absent: true },
            ],
        same
          ? [{ put: kv.key, value: JSON.stringify(machine) }]
          : [
              { put: kv.key, value: JSON.stringify(machine) },
              { put: this.#nameKey(machine.name), value: machine.id },
              { delete: this.#nameKey(old.name) },
            ],
      )
      if (ok) return 'replaced' as const
      // Either the machine changed under us (try again) or the new name is taken.
      const owner = same ? null : await this.client.get(this.#nameKey(machine.name))
      if (owner && owner.value !== machine.id) return 'duplicate' as const
    }
    throw new Error(`machine ${machine.id} kept changing during ${TRIES} tries to replace it`)
  }

  async remove(id: string) {
    for (let i = 0; i < TRIES; i++) {
      const kv = await this.client.get(this.#idKey(id))
      if (!kv) return false
      const ok = await this.client.txn(
        [{ key: kv.key, modRevision: kv.modRevision }],
        [{ delete: kv.key }, { delete: this.#nameKey(parse(kv).name) }],
      )
      if (ok) return true
    }
    throw new Error(`machine ${id} kept changing during ${TRIES} tries to remove it`)
  }
}

function parse(kv: KeyValue): Machine {
  return JSON.parse(kv.value) as Machine
}
