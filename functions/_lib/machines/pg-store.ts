// Machines in PostgreSQL (MACHINES_STORE_URL=postgres://...), through node-postgres (pg).
// One row per machine: the id (UUIDv7, so key order is creation order), the name under
// a UNIQUE constraint, and the machine as JSON. A create is one INSERT ... ON CONFLICT
// (name) DO NOTHING, so when two requests race for a name the database picks the winner
// and the other gets 'duplicate'; a rename onto a taken name fails on the same
// constraint. PostgreSQL acknowledges a statement once it is committed (and, with the
// default synchronous_commit, flushed to its WAL), and we answer 2xx only after that.
// Any error that means the database cannot be reached becomes StoreUnavailableError (503).
import pg from 'pg'
import type { Machine } from './machine.ts'
import { StoreUnavailableError, type MachineStore, type Page } from './store.ts'
import { isUnavailable, redactUrl } from '../postgres/unavailable.ts'

export interface PgStoreOptions {
  url: string
  /** Connect and query timeout (default 2000 ms). */
  timeoutMs?: number
  /** The table (default 'machines'). */
  table?: string
  /** Pool size (default 5). */
  poolSize?: number
}

const UNIQUE_VIOLATION = '23505'

export class PgStore implements MachineStore {
  readonly kind = 'postgres'
  readonly pool: pg.Pool
  readonly #table: string
  readonly #where: string
  #ready: Promise<void> | null = null

  constructor(o: PgStoreOptions) {
    const timeoutMs = o.timeoutMs ?? 2000
    this.#table = o.table ?? 'machines'
    if (!/^[a-z_][a-z0-9_]*$/.test(this.#table)) throw new Error(`machines: table name '${this.#table}' must be a plain SQL identifier`)
    this.#where = redactUrl(o.url)
    this.pool = new pg.Pool({
      connectionString: o.url,
      max: o.poolSize ?? 5,
      connectionTimeoutMillis: timeoutMs,
      query_timeout: timeoutMs,
      idleTimeoutMillis: 30_000,
    })
    this.pool.on('error', () => {})
  }

  async #query<R extends pg.QueryResultRow>(sql: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    try {
      this.#ready ??= this.pool
        .query(
          `CREATE TABLE IF NOT EXISTS ${this.#table} (
             id text PRIMARY KEY,
             name text NOT NULL UNIQUE,
             machine jsonb NOT NULL)`,
        )
        .then(
          () => undefined,
          (err) => {
            this.#ready = null
            throw err
          },
        )
      await this.#ready
      return await this.pool.query<R>(sql, values)
    } catch (err) {
      if (isUnavailable(err)) throw new StoreUnavailableError(`postgres at ${this.#where}: ${(err as Error).message}`)
      throw err
    }
  }

  async create(machine: Machine) {
    const r = await this.#query(`INSERT INTO ${this.#table} (id, name, machine) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`, [
      machine.id,
      machine.name,
      JSON.stringify(machine),
    ])
    return r.rowCount === 1 ? ('created' as const) : ('duplicate' as const)
  }

  async get(id: string) {
    const r = await this.#query<{ machine: Machine }>(`SELECT machine FROM ${this.#table} WHERE id = $1`, [id])
    return r.rows[0]?.machine ?? null
  }

  async list({ limit, after }: { limit: number; after?: string }): Promise<Page> {
    const r = await this.#query<{ machine: Machine }>(
      `SELECT machine FROM ${this.#table} WHERE $1::text IS NULL OR id > $1 ORDER BY id LIMIT $2`,
      [after ?? null, limit + 1],
    )
    const items = r.rows.slice(0, limit).map((row) => row.machine)
    return { items, next: r.rows.length > limit ? items[items.length - 1].id : null }
  }

  async replace(machine: Machine) {
    try {
      const r = await this.#query(`UPDATE ${this.#table} SET name = $2, machine = $3 WHERE id = $1`, [machine.id, machine.name, JSON.stringify(machine)])
      return r.rowCount === 1 ? ('replaced' as const) : ('not_found' as const)
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) return 'duplicate' as const
      throw err
    }
  }

  async remove(id: string) {
    const r = await this.#query(`DELETE FROM ${this.#table} WHERE id = $1`, [id])
    return r.rowCount === 1
  }
}
