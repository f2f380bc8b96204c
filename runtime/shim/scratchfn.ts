// The Hono adapter for the static runtime, in the style of @hono/node-server:
// the core hands over a parsed request, we build a lazy Request, call the app and
// send the Response back in one native call when its body is a string or bytes,
// or as chunks when it is a stream. Errors answer 500 without a stack.
import { core } from '../web/core.ts'
import { requestFromCore, responseParts } from '../web/response-bridge.ts'
import { errorBody, normalizeRoute, resolveApp, stripRoute, type FetchApp, type FunctionModule } from './contract.ts'
import { logError } from './log.ts'

const JSON_HEADERS = ['content-type', 'application/json']
const TEXT_HEADERS = ['content-type', 'text/plain; charset=UTF-8']

// Hono apps read bindings from c.env; here they are the environment variables,
// the same object the Node adapter passes.
const env = core.env
const executionCtx = {
  waitUntil(promise: Promise<unknown>) { Promise.resolve(promise).catch((err) => logError('waitUntil promise rejected', err)) },
  passThroughOnException() {},
  props: {},
}

function start(): void {
  const mod = (globalThis as { __scratchfn_app?: FunctionModule }).__scratchfn_app
  const app = resolveApp(mod, core.env.SCRATCHFN_FUNCTION ?? 'app')
  const prefix = normalizeRoute(core.env.SCRATCHFN_ROUTE ?? mod?.__route ?? mod?.config?.route ?? '/')
  core.serve((req, method, target, headers, body) => handle(app, prefix, req, method, target, headers, body))
}

function handle(app: FetchApp, prefix: string, req: number, method: string, target: string, headers: string[], body: ArrayBuffer | null): void {
  const path = stripRoute(prefix, target)
  if (path === null) {
    core.respond(req, 404, JSON_HEADERS, errorBody('Not Found'))
    return
  }
  let host = 'localhost'
  let requestId = ''
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === 'host') host = headers[i + 1]
    else if (headers[i] === 'x-request-id') requestId = headers[i + 1]
  }
  if (prefix !== '') headers.push('x-forwarded-prefix', prefix)
  const oomBefore = core.oomCount()
  let result: Response | Promise<Response>
  try {
    result = app.fetch(requestFromCore(method, 'http://' + host + path, headers, body), env, executionCtx)
  } catch (err) {
    fail(req, err, oomBefore, requestId)
    return
  }
  if (result instanceof Promise) {
    result.then((res) => send(req, res, oomBefore, requestId), (err) => fail(req, err, oomBefore, requestId))
  } else {
    send(req, result, oomBefore, requestId)
  }
}

function send(req: number, res: Response, oomBefore: number, requestId: string): void {
  if (core.oomCount() !== oomBefore) {
    // The handler hit the JS heap limit; whatever it produced afterwards is suspect.
    fail(req, new Error('out of memory'), oomBefore, requestId)
    return
  }
  let parts
  try {
    parts = responseParts(res)
  } catch (err) {
    fail(req, err, oomBefore, requestId)
    return
  }
  const { status, body } = parts
  const headers = nodeServerContentType(parts.headers)
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
    core.respond(req, status, headers, body)
    return
  }
  if (!core.respondHead(req, status, headers)) {
    body.cancel().catch(() => {})
    return
  }
  pump(req, body.getReader(), requestId)
}

async function pump(req: number, reader: ReadableStreamDefaultReader<unknown>, requestId: string): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (!core.isOpen(req)) {
        await reader.cancel()
        return
      }
      const chunk = typeof value === 'string' ? value : value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer)
      if (!core.respondWrite(req, chunk)) await new Promise<void>((resolve) => core.onDrain(req, resolve))
    }
    core.respondEnd(req)
  } catch (err) {
    logError('response stream failed', err, requestId)
    // Headers are gone already; ending the chunked body early tells the client it is cut short.
    core.respondEnd(req)
  }
}

// @hono/node-server sends 'text/plain; charset=UTF-8' (with a space) when a response
// has no content-type, or has the Fetch default for a string body. Functions are
// tested under Node, so the image sends the same bytes.
function nodeServerContentType(headers: string[]): string[] {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === 'content-type') {
      if (headers[i + 1] === 'text/plain;charset=UTF-8') headers[i + 1] = TEXT_HEADERS[1]
      return headers
    }
  }
  headers.push(TEXT_HEADERS[0], TEXT_HEADERS[1])
  return headers
}

function fail(req: number, err: unknown, oomBefore: number, requestId: string): void {
  if (core.oomCount() !== oomBefore) {
    core.gc()
    logError('handler ran out of JS memory', err, requestId)
    core.respond(req, 503, JSON_HEADERS, errorBody('Service Unavailable'))
    return
  }
  logError('handler failed', err, requestId)
  core.respond(req, 500, TEXT_HEADERS, 'Internal Server Error')
}

Object.defineProperty(globalThis, '__scratchfnStart', { value: start, enumerable: false })
