// Accounts: GET /accounts/:id over 100 seeded accounts, ids 10000 to 10099, each
// enriched with a quote from the quotes function when QUOTES_URL names it
// (e.g. http://quotes:8080/quotes). A slow (over 500 ms) or missing quotes service
// never fails the account: it is answered without `quote`, and `quote_status` says
// why: 'ok', 'timeout', 'unavailable', or 'not_configured' when QUOTES_URL is unset.
// With ACCOUNTS_DATABASE_URL (postgres://user:password@host:5432/db) the accounts come
// from PostgreSQL instead (the table is created and seeded with the same 100 on first
// use); while the database is down, lookups answer 503 with Retry-After. pg is imported
// only then, so the in-memory path does not load it.
import { Hono } from 'hono'
import { fetchQuote } from './_lib/quote-client.ts'
import type { AccountsDb } from './_lib/accounts-db.ts'

interface Account {
  id: string
  name: string
}

const FIRST_ID = 10000
const QUOTE_TIMEOUT_MS = 500
// Built once with the status field, so the route without QUOTES_URL does no more
// work per request than a plain lookup (it is the one the bench measures).
const accounts = new Map<string, Account & { quote_status: 'not_configured' }>()
for (let i = 0; i < 100; i++) {
  const id = String(FIRST_ID + i)
  accounts.set(id, { id, name: `Person_${i}`, quote_status: 'not_configured' })
}

const databaseUrl = process.env.ACCOUNTS_DATABASE_URL
const db: AccountsDb | null = databaseUrl ? (await import('./_lib/accounts-db.ts')).openAccountsDb(databaseUrl, process.env) : null

const app = new Hono<{ Bindings: { QUOTES_URL?: string } | undefined }>()

app.get('/:id', (c): Response | Promise<Response> => {
  if (db !== null) return fromDatabase(c.req.param('id'), c.env?.QUOTES_URL, c.req.header('x-request-id'))
  const account = accounts.get(c.req.param('id'))
  if (!account) return c.json({ error: 'account not found', id: c.req.param('id') }, 404)
  const baseUrl = c.env?.QUOTES_URL
  if (!baseUrl) return c.json(account)
  return fetchQuote({ baseUrl, timeoutMs: QUOTE_TIMEOUT_MS, requestId: c.req.header('x-request-id') }).then((quote) =>
    c.json({ id: account.id, name: account.name, ...quote }),
  )
})

async function fromDatabase(id: string, quotesUrl: string | undefined, requestId: string | undefined): Promise<Response> {
  let account
  try {
    account = await db!.find(id)
  } catch (err) {
    if ((err as Error).name !== 'DatabaseUnavailableError') throw err
    console.log(JSON.stringify({ time: new Date().toISOString(), level: 'warn', msg: 'accounts: database unavailable, answered 503', error: (err as Error).message, request_id: requestId }))
    return Response.json({ error: 'the accounts database is unavailable; try again shortly' }, { status: 503, headers: { 'retry-after': '2' } })
  }
  if (!account) return Response.json({ error: 'account not found', id }, { status: 404 })
  if (!quotesUrl) return Response.json({ id: account.id, name: account.name, quote_status: 'not_configured' })
  const quote = await fetchQuote({ baseUrl: quotesUrl, timeoutMs: QUOTE_TIMEOUT_MS, requestId })
  return Response.json({ id: account.id, name: account.name, ...quote })
}

export default app
export const config = { memory: '32Mi' }
