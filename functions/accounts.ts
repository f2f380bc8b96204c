// Accounts: GET /accounts/:id over 100 seeded accounts, ids 10000 to 10099, each
// enriched with a quote from the quotes function when QUOTES_URL names it
// (e.g. http://quotes:8080/quotes). A slow (over 500 ms) or missing quotes service
// never fails the account: it is answered without `quote`, and `quote_status` says
// why: 'ok', 'timeout', 'unavailable', or 'not_configured' when QUOTES_URL is unset.
import { Hono } from 'hono'
import { fetchQuote } from './_lib/quote-client.ts'

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

const app = new Hono<{ Bindings: { QUOTES_URL?: string } | undefined }>()

app.get('/:id', (c): Response | Promise<Response> => {
  const account = accounts.get(c.req.param('id'))
  if (!account) return c.json({ error: 'account not found', id: c.req.param('id') }, 404)
  const baseUrl = c.env?.QUOTES_URL
  if (!baseUrl) return c.json(account)
  return fetchQuote({ baseUrl, timeoutMs: QUOTE_TIMEOUT_MS, requestId: c.req.header('x-request-id') }).then((quote) =>
    c.json({ id: account.id, name: account.name, ...quote }),
  )
})

export default app
export const config = { memory: '32Mi' }
