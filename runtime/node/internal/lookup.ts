// dns.lookup alone, for packages that use nothing else of node:dns (pg, for libpq
// connection strings), so they do not carry the whole module.
import { core } from './natives.ts'

export function lookup(host: string, cb: (err: Error | null, address?: string, family?: number) => void): void {
  core.dnsLookup(host, 0, (code, list) => {
    if (code === null) return cb(null, list[0] as string, list[1] as number)
    const c = code === 'ENOTFOUND' || code === 'ENODATA' || code === 'EBADNAME' ? 'ENOTFOUND' : 'EAI_AGAIN'
    cb(Object.assign(new Error(`getaddrinfo ${c} ${host}`), { code: c, syscall: 'getaddrinfo', hostname: host }))
  })
}
