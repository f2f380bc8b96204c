// Machines: a registry of machines, kept in etcd (MACHINES_STORE_URL=etcd://host:2379)
// or, when that is unset, in memory with a warning at start.
//   POST /machines           201 + Location, 400 with per-field errors, 409 on a taken name
//   GET  /machines           ?limit=1..100&cursor=<id>: a page, in creation order
//   GET  /machines/ui        the same list as an HTML page
//   GET|PUT|DELETE /machines/:id   200/204, 404, or 400 for a malformed id or body
// A store that is down or slow answers 503 (never 500), and nothing is answered
// 2xx before the store has acknowledged the write.
import { Hono, type Context } from 'hono'
import { checkMachine, isMachineId, newMachineId, type FieldErrors, type Machine } from './_lib/machines/machine.ts'
import { StoreUnavailableError, type MachineStore } from './_lib/machines/store.ts'
import { storeFromEnv } from './_lib/machines/store-from-env.ts'
import { machinesPage, unavailablePage } from './_lib/machines/ui.ts'

const DEFAULT_LIMIT = 20
const MAX_LIMIT = 100
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)*$/

export function machinesApp(store: MachineStore): Hono {
  const app = new Hono()

  app.get('/', async (c) => {
    const query = pageQuery(c.req.query('limit'), c.req.query('cursor'))
    if ('fields' in query) return invalid(c, 'invalid query', query.fields)
    const page = await store.list(query)
    return c.json({ items: page.items, next_cursor: page.next })
  })

  app.post('/', async (c) => {
    const checked = checkMachine(await readJson(c))
    if (!checked.ok) return invalid(c, 'invalid machine', checked.fields)
    const now = new Date().toISOString()
    const machine: Machine = { id: newMachineId(), ...checked.value, created_at: now, updated_at: now }
    if ((await store.create(machine)) === 'duplicate') return taken(c, machine.name)
    c.header('location', `${routePrefix(c)}/${machine.id}`)
    return c.json(machine, 201)
  })

  // Before '/:id', which would otherwise take 'ui' for an id.
  app.get('/ui', async (c) => {
    const query = pageQuery(String(MAX_LIMIT), c.req.query('cursor'))
    if ('fields' in query) return c.html(unavailablePage('the cursor in the address is not a machine id'), 400)
    try {
      return c.html(machinesPage(await store.list(query), store.kind))
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err
      logUnavailable(c, err)
      return c.html(unavailablePage(err.message), 503, { 'retry-after': '2' })
    }
  })

  app.get('/:id', async (c) => {
    const id = c.req.param('id')
    if (!isMachineId(id)) return badId(c, id)
    const machine = await store.get(id)
    return machine ? c.json(machine) : notFound(c, id)
  })

  app.put('/:id', async (c) => {
    const id = c.req.param('id')
    if (!isMachineId(id)) return badId(c, id)
    const checked = checkMachine(await readJson(c), id)
    if (!checked.ok) return invalid(c, 'invalid machine', checked.fields)
    const old = await store.get(id)
    if (!old) return notFound(c, id)
    const machine: Machine = { id, ...checked.value, created_at: old.created_at, updated_at: new Date().toISOString() }
    const result = await store.replace(machine)
    if (result === 'not_found') return notFound(c, id)
    if (result === 'duplicate') return taken(c, machine.name)
    return c.json(machine)
  })

  app.delete('/:id', async (c) => {
    const id = c.req.param('id')
    if (!isMachineId(id)) return badId(c, id)
    return (await store.remove(id)) ? c.body(null, 204) : notFound(c, id)
  })

  app.onError((err, c) => {
    if (err instanceof StoreUnavailableError) {
      logUnavailable(c, err)
      return c.json({ error: 'the machine store is unavailable; nothing was changed, try again shortly', detail: err.message }, 503, {
        'retry-after': '2',
      })
    }
    console.log(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'error',
        msg: 'machines: handler failed',
        error: String(err),
        stack: (err as Error)?.stack,
        request_id: c.req.header('x-request-id'),
      }),
    )
    return c.json({ error: 'internal error' }, 500)
  })

  return app
}

const NOT_JSON = Symbol('not JSON')

// Unparseable JSON becomes a value checkMachine rejects as { body: 'must be a JSON object' }.
async function readJson(c: Context): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    return NOT_JSON
  }
}

function pageQuery(limit: string | undefined, cursor: string | undefined): { limit: number; after?: string } | { fields: FieldErrors } {
  const fields: FieldErrors = {}
  const n = limit === undefined ? DEFAULT_LIMIT : Number(limit)
  if (!/^\d+$/.test(limit ?? '0') || !Number.isInteger(n) || n < 1 || n > MAX_LIMIT)
    fields.limit = `must be an integer from 1 to ${MAX_LIMIT}`
  if (cursor !== undefined && !isMachineId(cursor)) fields.cursor = 'must be the next_cursor of an earlier page'
  return Object.keys(fields).length ? { fields } : { limit: n, after: cursor }
}

function invalid(c: Context, error: string, fields: FieldErrors) {
  return c.json({ error, fields }, 400)
}

function badId(c: Context, id: string) {
  return c.json({ error: 'invalid machine id', fields: { id: `'${id}' is not a machine id (a UUID, as returned by POST)` } }, 400)
}

function notFound(c: Context, id: string) {
  return c.json({ error: 'machine not found', id }, 404)
}

function taken(c: Context, name: string) {
  return c.json({ error: `a machine named '${name}' already exists`, fields: { name: 'already taken by another machine' } }, 409)
}

// The runtime (Node or the image) passes the function's route in X-Forwarded-Prefix;
// anything that is not a plain path is ignored rather than echoed into Location.
function routePrefix(c: Context): string {
  const prefix = c.req.header('x-forwarded-prefix') ?? ''
  return PREFIX.test(prefix) ? prefix : ''
}

function logUnavailable(c: Context, err: Error): void {
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'warn',
      msg: 'machines: store unavailable, answered 503',
      error: err.message,
      request_id: c.req.header('x-request-id'),
    }),
  )
}

export default machinesApp(storeFromEnv(process.env))
export const config = { memory: '32Mi' }
