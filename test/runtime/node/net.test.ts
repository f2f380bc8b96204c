// node:net's client in the runtime against Node's own, the same script in both, talking to
// servers this suite runs: events and their order, data both ways, backpressure, half-close,
// errors with Node's messages and fields, timeouts, addresses, isIP; servers refused.
import { createServer, type Server, type Socket } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'
import { freePort } from '../../support/process.ts'

let echo: Server
let bulk: Server
let silent: Server
const ports = { echo: 0, bulk: 0, silent: 0, free: 0 }
const open = new Set<Socket>()

function listen(server: Server): Promise<number> {
  server.on('connection', (s) => {
    open.add(s)
    s.on('close', () => open.delete(s))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)))
}

test.before(async () => {
  // Upper-cases what it gets; ends when the client ends.
  echo = createServer((s) => {
    s.on('error', () => {})
    s.on('data', (d) => s.write(d.toString().toUpperCase()))
    s.on('end', () => s.end())
  })
  // Sends 4 MiB, then ends; reads and counts what the client sends, and reports it at the end.
  bulk = createServer((s) => {
    s.on('error', () => {})
    let got = 0
    s.on('data', (d) => {
      got += d.length
    })
    s.on('end', () => s.end(`got ${got}`))
    s.write(Buffer.alloc(4 << 20, 97))
  })
  silent = createServer((s) => s.on('error', () => {}))
  ports.echo = await listen(echo)
  ports.bulk = await listen(bulk)
  ports.silent = await listen(silent)
  ports.free = await freePort()
})
test.after(async () => {
  for (const s of open) s.destroy()
  await Promise.all([echo, bulk, silent].map((s) => new Promise((r) => s.close(r))))
})

const env = () => ({ env: { ECHO: String(ports.echo), BULK: String(ports.bulk), SILENT: String(ports.silent), FREE: String(ports.free) } })
const wrap = (body: string) =>
  `import net from 'node:net'\nconst port = (name: string) => Number(process.env[name])\n;(async () => {\n${body}\n})().catch((e) => print('FAILED', e.stack))`

test('connects, writes, reads and closes with the events in Node order', async () => {
  await matchesNode(
    wrap(`
    const events: string[] = []
    const s = net.connect(port('ECHO'), '127.0.0.1', () => events.push('callback'))
    print('connecting', s.connecting, s.pending, s.readyState)
    for (const e of ['lookup', 'connect', 'ready', 'end', 'finish', 'close', 'error', 'timeout']) s.on(e, (a: unknown) => events.push(e + (e === 'close' ? ':' + a : '')))
    s.setEncoding('utf8')
    s.on('data', (d: string) => {
      events.push('data ' + d)
      s.end()
    })
    await new Promise((r) => s.once('connect', r))
    print('open', s.connecting, s.readyState, s.remoteAddress, s.remotePort === port('ECHO'), s.remoteFamily, s.localAddress, typeof s.localPort, JSON.stringify(Object.keys(s.address())))
    s.write('hello')
    await new Promise((r) => s.once('close', r))
    print(events.join(', '))
    print('after', s.destroyed, s.readyState, s.bytesWritten, s.bytesRead)`),
    env(),
  )
})

test('refused, unresolvable and bad arguments fail as in Node', async () => {
  await matchesNode(
    wrap(`
    const fail = (s: any) => new Promise((r) => s.on('error', (e: any) => r([e.message, e.code, e.errno, e.syscall, e.address ?? '-', e.port ?? '-', e.hostname ?? '-'].join(' | '))))
    print(await fail(net.connect(port('FREE'), '127.0.0.1')))
    print(await fail(net.createConnection({ port: 80, host: 'no-such-host.invalid' })))
    for (const bad of [() => net.connect({ port: 70000 } as any), () => net.connect({ port: -1 } as any)]) {
      try { bad(); print('no throw') } catch (e: any) { print(e.name, e.code) }
    }
    const closes: unknown[] = []
    const s = net.connect(port('FREE'), '127.0.0.1')
    s.on('error', () => closes.push('error'))
    s.on('close', (hadError: boolean) => closes.push('close:' + hadError))
    await new Promise((r) => setTimeout(r, 100))
    print(closes.join(', '))`),
    env(),
  )
})

test('reads 4 MiB with backpressure, writes 4 MiB, and half-closes', async () => {
  await matchesNode(
    wrap(`
    const s = net.connect({ port: port('BULK'), host: '127.0.0.1', allowHalfOpen: true })
    let got = 0
    let paused = 0
    let tail = ''
    s.on('data', (d: Buffer) => {
      // The server's 4 MiB and its reply can arrive in one chunk (Node does that at times):
      // split at the byte count, not at the chunk.
      const body = Math.min(d.length, (4 << 20) - got)
      got += body
      if (body < d.length) tail += String(d.subarray(body))
      // Read slowly for a while: the socket must stop reading, not buffer without limit.
      if (body > 0 && paused++ < 5) { s.pause(); setTimeout(() => s.resume(), 20) }
    })
    await new Promise((r) => s.once('connect', r))
    const chunk = new Uint8Array(64 * 1024)
    for (let i = 0; i < 64; i++) if (!s.write(chunk)) await new Promise((r) => s.once('drain', r))
    s.end()
    await new Promise((r) => s.once('close', r))
    // Whether a write() returned false depends on how fast the peer drains the kernel's
    // buffer, which differs run to run under Node too: not compared (connect()'s tests hold
    // the write side's backpressure); the bytes, the half-close and the read bound are.
    print('received', got, 'server', tail, 'readableLength bounded', s.readableLength <= 1 << 20)`),
    env(),
  )
})

test('setTimeout emits timeout on an idle socket and leaves it open; setNoDelay, setKeepAlive, ref and unref chain', async () => {
  await matchesNode(
    wrap(`
    const s = net.connect(port('SILENT'), '127.0.0.1')
    print(s.setNoDelay(true) === s, s.setKeepAlive(true, 1000) === s, s.ref() === s)
    await new Promise((r) => s.once('connect', r))
    const t0 = Date.now()
    s.setTimeout(50, () => print('timeout', s.timeout, s.destroyed, Date.now() - t0 >= 40))
    await new Promise((r) => s.once('timeout', r))
    s.setTimeout(0)
    print('timeout off', s.timeout)
    s.destroy()
    await new Promise((r) => s.once('close', r))
    print('closed')`),
    env(),
  )
})

test('isIP, isIPv4 and isIPv6 agree with Node', async () => {
  await matchesNode(
    wrap(`
    for (const a of ['127.0.0.1', '256.1.1.1', '1.2.3', '::1', '::', '2001:db8::1', 'fe80::1%eth0', '::ffff:192.0.2.1', '1::2::3', '12345::', 'x', '', '01.2.3.4'])
      print(JSON.stringify(a), net.isIP(a), net.isIPv4(a), net.isIPv6(a))`),
  )
})

test('servers are refused with the reason', async () => {
  const r = await runInRuntime(wrap(`try { net.createServer() } catch (e: any) { print(e.message) }`))
  assert.match(r.stdout, /net.createServer\(\): scratchfn functions cannot listen: the function already is the HTTP server/)
})

test.run()
