// Real TLS peers for the tests: Node https servers, openssl s_server processes (TLS 1.2-
// or 1.3-only), and raw TCP servers that answer a ClientHello with something else.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer as createHttpsServer, type Server as HttpsServer, type ServerOptions } from 'node:https'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { freePort } from './process.ts'

export interface Peer {
  port: number
  close(): Promise<void>
}

const held = new Set<Socket>()

/** A Node https server with the leaf (and the chain after it, unless chain is null). */
export async function httpsPeer(
  leaf: { key: string; cert: string },
  chain: string | null,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: ServerOptions = {},
): Promise<Peer & { server: HttpsServer }> {
  const cert = readFileSync(leaf.cert, 'utf8') + (chain ? readFileSync(chain, 'utf8') : '')
  const server = createHttpsServer({ key: readFileSync(leaf.key), cert, ...options }, handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A TCP server that calls `onHello` with the socket once the client's first bytes (its ClientHello) arrive. */
export async function rawPeer(onHello: (socket: Socket, hello: Buffer) => void): Promise<Peer> {
  const server: TcpServer = createTcpServer((socket) => {
    held.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => held.delete(socket))
    socket.once('data', (hello) => onHello(socket, hello))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of held) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** openssl s_server with `-www` (it answers every GET with a status page), restricted to one TLS version. */
export async function opensslPeer(leaf: { key: string; cert: string }, chain: string, version: '-tls1_2' | '-tls1_3'): Promise<Peer> {
  const port = await freePort()
  const proc: ChildProcess = spawn(
    'openssl',
    ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', leaf.cert, '-key', leaf.key, '-cert_chain', chain, version, '-www', '-quiet'],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  )
  // Ready once the port takes connections.
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createTcpServer()
      s.once('error', () => resolve(true))
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)))
    })
    if (up) break
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve()
        proc.once('exit', () => resolve())
        proc.kill('SIGTERM')
      }),
  }
}
