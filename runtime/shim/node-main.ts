// Runs one function under Node with the same environment variables the image reads,
// so tests and the bench can start both runtimes the same way.
import { resolveApp, type FunctionModule } from './contract.ts'
import { serveNode } from './node.ts'

export async function startNodeFunction(mod: FunctionModule, name: string): Promise<void> {
  const env = process.env
  const app = resolveApp(mod, name)
  const { port, drain } = await serveNode({
    functions: [{ name, app, route: env.SCRATCHFN_ROUTE ?? mod.__route ?? mod.config?.route ?? '/' }],
    port: Number(env.PORT ?? 8080),
    hostname: env.SCRATCHFN_HOST ?? '0.0.0.0',
    maxBodyBytes: Number(env.SCRATCHFN_MAX_BODY_BYTES ?? 1 << 20),
    accessLog: env.SCRATCHFN_ACCESS_LOG !== '0',
  })
  if (env.SCRATCHFN_QUIET !== '1') console.error(JSON.stringify({ level: 'info', msg: 'listening', port, function: name }))
  const stop = () => {
    drain().then(() => process.exit(0))
  }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
}
