// A tiny authoritative DNS server on 127.0.0.1 (UDP and TCP on one free port) for the
// resolver's tests: A and AAAA records from a table, NXDOMAIN for other names, a delay
// per name (a slow nameserver), names answered truncated over UDP (so the client must
// retry over TCP), names that get SERVFAIL or no answer at all. Every question is logged.
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import { freePort } from './process.ts'

export interface DnsRecords {
  [name: string]: { a?: string[]; aaaa?: string[]; delayMs?: number; truncate?: boolean; servfail?: boolean; drop?: boolean; ttl?: number }
}

export interface DnsServer {
  port: number
  /** Questions received, as 'name A' or 'name AAAA' with the transport: 'udp' or 'tcp'. */
  queries: { name: string; type: string; over: 'udp' | 'tcp' }[]
  /** A resolv.conf that points to this server (with the port extension the runtime reads). */
  resolvConf(extra?: string): string
  close(): Promise<void>
}

function readName(msg: Buffer, at: number): [string, number] {
  const labels: string[] = []
  while (msg[at] !== 0) {
    labels.push(msg.subarray(at + 1, at + 1 + msg[at]).toString('latin1'))
    at += 1 + msg[at]
  }
  return [labels.join('.'), at + 1]
}

function ipv6Bytes(text: string): Buffer {
  const [head, tail] = text.split('::')
  const h = head ? head.split(':') : []
  const t = tail !== undefined && tail !== '' ? tail.split(':') : []
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  const b = Buffer.alloc(16)
  groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2))
  return b
}

function answer(query: Buffer, records: DnsRecords, over: 'udp' | 'tcp', log: DnsServer['queries']): { reply: Buffer | null; delayMs: number } {
  const [name, end] = readName(query, 12)
  const type = query.readUInt16BE(end)
  const key = name.toLowerCase()
  const rec = records[key]
  log.push({ name: key, type: type === 1 ? 'A' : type === 28 ? 'AAAA' : String(type), over })
  const question = query.subarray(12, end + 4)
  const head = Buffer.alloc(12)
  query.copy(head, 0, 0, 2)
  let flags = 0x8180 // response, RD, RA
  const answers: Buffer[] = []
  if (rec?.drop) return { reply: null, delayMs: 0 }
  if (!rec) flags |= 3
  else if (rec.servfail) flags |= 2
  else if (rec.truncate && over === 'udp') flags |= 0x0200
  else {
    const list = type === 1 ? (rec.a ?? []) : type === 28 ? (rec.aaaa ?? []) : []
    for (const addr of list) {
      const data = type === 1 ? Buffer.from(addr.split('.').map(Number)) : ipv6Bytes(addr)
      const rr = Buffer.alloc(12)
      rr.writeUInt16BE(0xc00c, 0)
      rr.writeUInt16BE(type, 2)
      rr.writeUInt16BE(1, 4)
      rr.writeUInt32BE(rec.ttl ?? 60, 6)
      rr.writeUInt16BE(data.length, 10)
      answers.push(rr, data)
    }
  }
  head.writeUInt16BE(flags, 2)
  head.writeUInt16BE(1, 4)
  head.writeUInt16BE(answers.length / 2, 6)
  return { reply: Buffer.concat([head, question, ...answers]), delayMs: rec?.delayMs ?? 0 }
}

export async function startDnsServer(records: DnsRecords): Promise<DnsServer> {
  const port = await freePort()
  const queries: DnsServer['queries'] = []
  const udp = createSocket('udp4')
  udp.on('message', (msg, from) => {
    const { reply, delayMs } = answer(msg, records, 'udp', queries)
    if (reply) setTimeout(() => udp.send(reply, from.port, from.address), delayMs)
  })
  await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve))
  const tcp = createServer((c) => {
    let buf = Buffer.alloc(0)
    c.on('error', () => {})
    c.on('data', (d) => {
      buf = Buffer.concat([buf, d])
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0))
        buf = buf.subarray(2 + msg.length)
        const { reply, delayMs } = answer(msg, records, 'tcp', queries)
        if (!reply) continue
        const len = Buffer.alloc(2)
        len.writeUInt16BE(reply.length)
        setTimeout(() => c.write(Buffer.concat([len, reply])), delayMs)
      }
    })
  })
  await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', resolve))
  return {
    port,
    queries,
    resolvConf: (extra = '') => `nameserver 127.0.0.1:${port}\n${extra}\n`,
    close: () =>
      new Promise<void>((resolve) => {
        udp.close()
        tcp.close(() => resolve())
      }),
  }
}
