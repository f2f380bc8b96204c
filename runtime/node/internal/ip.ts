// isIP, isIPv4, isIPv6 as Node's net has them (v6 zone ids such as fe80::1%eth0 included).
const v4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/

export function isIPv4(input: unknown): boolean {
  return typeof input === 'string' && v4.test(input)
}

export function isIPv6(input: unknown): boolean {
  if (typeof input !== 'string') return false
  let s = input
  const zone = s.indexOf('%')
  if (zone >= 0) {
    if (zone === s.length - 1) return false
    s = s.slice(0, zone)
  }
  let groups = 8
  const lastColon = s.lastIndexOf(':')
  if (lastColon >= 0 && s.indexOf('.', lastColon) > 0) {
    if (!v4.test(s.slice(lastColon + 1))) return false
    s = s.slice(0, lastColon + 1) + '0:0'
  }
  const halves = s.split('::')
  if (halves.length > 2) return false
  const parts = (h: string) => (h === '' ? [] : h.split(':'))
  const head = parts(halves[0])
  const tail = halves.length === 2 ? parts(halves[1]) : []
  const all = [...head, ...tail]
  if (!all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false
  return halves.length === 2 ? all.length < groups : all.length === groups
}

export function isIP(input: unknown): 0 | 4 | 6 {
  return isIPv4(input) ? 4 : isIPv6(input) ? 6 : 0
}
