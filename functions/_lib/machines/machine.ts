// What a machine is, and the checks a request body must pass to become one.
// Hand-written rather than a schema library: six fields do not justify the bytes
// a library adds to every image, and the messages stay ours (one per field).

export const OPERATING_SYSTEMS = ['linux', 'windows', 'macos', 'freebsd'] as const
export type OperatingSystem = (typeof OPERATING_SYSTEMS)[number]

/** The fields a client sends on POST and PUT. */
export interface MachineInput {
  name: string
  os: OperatingSystem
  cpus: number
  /** MiB. */
  memory: number
  /** GiB; optional. */
  disk?: number
  tags: string[]
}

/** What the store keeps and the API answers. */
export interface Machine extends MachineInput {
  id: string
  created_at: string
  updated_at: string
}

/** Field name -> what is wrong with it, in words a client can show. */
export type FieldErrors = Record<string, string>

export type Checked = { ok: true; value: MachineInput } | { ok: false; fields: FieldErrors }

// A DNS label, so a name can also be a host name.
const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
const TAG = /^[A-Za-z0-9._:/=-]{1,64}$/
const MAX_TAGS = 16
const WRITABLE = ['name', 'os', 'cpus', 'memory', 'disk', 'tags']
// Accepted and ignored, so a client can PUT back what it got from GET.
const READ_ONLY = ['id', 'created_at', 'updated_at']
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function isMachineId(id: string): boolean {
  return ID.test(id)
}

/** Checks a parsed JSON body. `pathId` (on PUT) must match a body `id`, when one is sent. */
export function checkMachine(body: unknown, pathId?: string): Checked {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, fields: { body: 'must be a JSON object' } }
  }
  const b = body as Record<string, unknown>
  const fields: FieldErrors = {}
  for (const key of Object.keys(b)) {
    if (!WRITABLE.includes(key) && !READ_ONLY.includes(key)) fields[key] = `unknown field; allowed: ${WRITABLE.join(', ')}`
  }
  if (pathId !== undefined && b.id !== undefined && b.id !== pathId) fields.id = 'does not match the id in the path'

  if (typeof b.name !== 'string') fields.name = 'required: a string'
  else if (!NAME.test(b.name)) fields.name = 'must be 1 to 63 lower-case letters, digits or "-", starting and ending with a letter or digit'

  if (b.os === undefined) fields.os = `required: one of ${OPERATING_SYSTEMS.join(', ')}`
  else if (!(OPERATING_SYSTEMS as readonly unknown[]).includes(b.os)) fields.os = `must be one of ${OPERATING_SYSTEMS.join(', ')}`

  const cpus = intIn(b.cpus, 1, 1024, 'a number of CPUs')
  if (cpus) fields.cpus = cpus
  const memory = intIn(b.memory, 64, 16_777_216, 'MiB')
  if (memory) fields.memory = memory
  if (b.disk !== undefined) {
    const disk = intIn(b.disk, 1, 1_048_576, 'GiB')
    if (disk) fields.disk = disk
  }
  if (b.tags !== undefined) {
    if (!Array.isArray(b.tags) || b.tags.length > MAX_TAGS) fields.tags = `must be a list of at most ${MAX_TAGS} tags`
    else if (!b.tags.every((t) => typeof t === 'string' && TAG.test(t))) fields.tags = 'each tag must be 1 to 64 letters, digits or ._:/=-'
    else if (new Set(b.tags).size !== b.tags.length) fields.tags = 'must not repeat a tag'
  }
  if (Object.keys(fields).length) return { ok: false, fields }
  const value: MachineInput = {
    name: b.name as string,
    os: b.os as OperatingSystem,
    cpus: b.cpus as number,
    memory: b.memory as number,
    tags: (b.tags as string[] | undefined) ?? [],
  }
  if (b.disk !== undefined) value.disk = b.disk as number
  return { ok: true, value }
}

function intIn(v: unknown, min: number, max: number, unit: string): string | undefined {
  if (v === undefined) return `required: an integer from ${min} to ${max} (${unit})`
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return `must be an integer from ${min} to ${max} (${unit})`
  return undefined
}

let lastMs = 0
let seq = 0

/**
 * A UUIDv7: the first 48 bits are the creation time in ms, and the next 12 a
 * counter within that ms, so the store's key order (which is how machines are
 * listed and paged) is the order this instance created them in.
 */
export function newMachineId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now
    seq = 0
  } else if (++seq > 0xfff) {
    // 4096 ids in one ms: borrow the next ms rather than break the order.
    lastMs++
    seq = 0
  }
  const b = crypto.getRandomValues(new Uint8Array(16))
  let t = lastMs
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256
    t = Math.floor(t / 256)
  }
  b[6] = 0x70 | (seq >> 8)
  b[7] = seq & 0xff
  b[8] = (b[8] & 0x3f) | 0x80
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
