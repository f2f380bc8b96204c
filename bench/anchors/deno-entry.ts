// Deno serves the function natively with Deno.serve(app.fetch), on PORT. The route is
// mounted as the image mounts it (functions/accounts.ts answers /accounts/*).
import { Hono } from 'hono'
import accounts from '../../functions/accounts.ts'

declare const Deno: {
  serve(
    options: { port: number; hostname: string; onListen: () => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown
}

const app = new Hono().route('/accounts', accounts)
// Exit 0 on SIGTERM, as the runtime does, so callgrind's run ends cleanly.
process.on('SIGTERM', () => process.exit(0))
Deno.serve({ port: Number(process.env.PORT ?? 8080), hostname: '0.0.0.0', onListen: () => {} }, app.fetch)
