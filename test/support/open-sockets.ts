// How many TCP connections a process holds to a given port (its database connections),
// read from /proc: the tests' leak check.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

/** Socket inodes of TCP connections whose remote port is `port`, from /proc/net/tcp and tcp6. */
function inodesTo(port: number): Set<string> {
  const out = new Set<string>()
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try {
      text = readFileSync(file, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f.length < 10) continue
      const remotePort = parseInt(f[2].split(':')[1], 16)
      // 01 ESTABLISHED ... 08 CLOSE_WAIT: anything but a listener (0A) still holds the descriptor.
      if (remotePort === port && f[3] !== '0A') out.add(f[9])
    }
  }
  return out
}

export function connectionsTo(pid: number, port: number): number {
  const inodes = inodesTo(port)
  let n = 0
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      if (m && inodes.has(m[1])) n++
    } catch {}
  }
  return n
}
