// The machine store: one interface, two implementations (etcd for real use, memory
// for a quick start). Names are unique; the store, not the handler, enforces it, so
// two concurrent POSTs with one name cannot both win.
import type { Machine } from './machine.ts'

export interface Page {
  items: Machine[]
  /** Pass as `after` to get the next page; null on the last page. */
  next: string | null
}

export interface MachineStore {
  /** 'etcd' or 'memory', for logs and the UI. */
  readonly kind: string
  /** 'duplicate' when another machine has the name. */
  create(machine: Machine): Promise<'created' | 'duplicate'>
  get(id: string): Promise<Machine | null>
  /** Machines in id order (creation order), starting after the `after` id. */
  list(options: { limit: number; after?: string }): Promise<Page>
  replace(machine: Machine): Promise<'replaced' | 'not_found' | 'duplicate'>
  remove(id: string): Promise<boolean>
}

/**
 * The store could not be reached or did not answer in time. The handler answers
 * 503 for it: the request may be retried, and no write was acknowledged.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
}

/** Lives as long as the process: for `npm run dev` and tests, not for production. */
export class MemoryStore implements MachineStore {
  readonly kind = 'memory'
  #byId = new Map<string, Machine>()
  #idByName = new Map<string, string>()

  async create(machine: Machine) {
    if (this.#idByName.has(machine.name)) return 'duplicate' as const
    this.#idByName.set(machine.name, machine.id)
    this.#byId.set(machine.id, structuredClone(machine))
    return 'created' as const
  }

  async get(id: string) {
    const found = this.#byId.get(id)
    return found ? structuredClone(found) : null
  }

  async list({ limit, after }: { limit: number; after?: string }) {
    const ids = [...this.#byId.keys()].sort().filter((id) => after === undefined || id > after)
    const items = ids.slice(0, limit).map((id) => structuredClone(this.#byId.get(id)!))
    return { items, next: ids.length > limit ? items[items.length - 1].id : null }
  }

  async replace(machine: Machine) {
    const old = this.#byId.get(machine.id)
    if (!old) return 'not_found' as const
    const owner = this.#idByName.get(machine.name)
    if (owner !== undefined && owner !== machine.id) return 'duplicate' as const
    this.#idByName.delete(old.name)
    this.#idByName.set(machine.name, machine.id)
    this.#byId.set(machine.id, structuredClone(machine))
    return 'replaced' as const
  }

  async remove(id: string) {
    const old = this.#byId.get(id)
    if (!old) return false
    this.#byId.delete(id)
    this.#idByName.delete(old.name)
    return true
  }
}
