// The accounts in PostgreSQL (ACCOUNTS_DATABASE_URL), through node-postgres (pg): a pool
// shared by all requests, the table created and seeded with the same 100 accounts once
// when it is empty. Imported only when the variable is set, so the in-memory path never
// loads pg. While the database is down every lookup throws DatabaseUnavailableError,
// which the route answers with 503 and Retry-After; the seeding is tried again then.
import pg from 'pg'
import { isUnavailable, redactUrl } from './postgres/unavailable.ts'

export interface Account {
  id: string
  name: string
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError'
}

export interface AccountsDb {
  find(id: string): Promise<Account | null>
  /** Where it points, with the password masked. */
  readonly where: string
}

const SEED_SQL = `
  CREATE TABLE IF NOT EXISTS accounts (id text PRIMARY KEY, name text NOT NULL);
  INSERT INTO accounts (id, name)
    SELECT (10000 + i)::text, 'Person_' || i FROM generate_series(0, 99) AS i
    WHERE NOT EXISTS (SELECT 1 FROM accounts)
    ON CONFLICT (id) DO NOTHING;`

export function openAccountsDb(url: string, env: Record<string, string | undefined> = {}): AccountsDb {
  const timeoutMs = Number(env.ACCOUNTS_DATABASE_TIMEOUT_MS || 2000)
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(env.ACCOUNTS_DATABASE_POOL_SIZE || 5),
    // Fail fast while the database is down: the caller answers 503 and may retry.
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
  })
  // An idle client whose server went away: the pool drops it; the next query reconnects.
  pool.on('error', () => {})
  let seeded: Promise<void> | null = null
  const seed = () =>
    (seeded ??= pool.query(SEED_SQL).then(
      () => undefined,
      (err) => {
        seeded = null
        throw err
      },
    ))
  const where = redactUrl(url)
  return {
    where,
    async find(id) {
      try {
        await seed()
        const r = await pool.query<Account>('SELECT id, name FROM accounts WHERE id = $1', [id])
        return r.rows[0] ?? null
      } catch (err) {
        if (isUnavailable(err)) throw new DatabaseUnavailableError(`the accounts database at ${where} is unavailable: ${(err as Error).message}`)
        throw err
      }
    },
  }
}
