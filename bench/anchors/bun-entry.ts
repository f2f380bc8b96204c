// Bun serves the function natively: the default export's fetch, on PORT. The route is
// mounted as the image mounts it (functions/accounts.ts answers /accounts/*).
import { Hono } from 'hono'
import accounts from '../../functions/accounts.ts'

const app = new Hono().route('/accounts', accounts)
// Exit 0 on SIGTERM, as the runtime does, so callgrind's run ends cleanly.
process.on('SIGTERM', () => process.exit(0))

// development: false, as a deployment runs it (Bun defaults it to NODE_ENV !== production).
export default { port: Number(process.env.PORT ?? 8080), development: false, fetch: app.fetch }
