// The few calls of etcd's v3 HTTP/JSON gateway the machine store needs (range and
// txn), over the runtime's fetch: etcd speaks plain HTTP, so the image needs no
// TCP socket API and no TLS. Keys and values travel base64-encoded; int64 fields
// arrive as strings. Anything that says "etcd is not there" becomes a
// StoreUnavailableError; anything else is a bug and stays an ordinary Error.
import { StoreUnavailableError } from './store.ts'

export interface EtcdClientOptions {
  /** etcd's client URL, http://host:2379. */
  endpoint: string
  /** Per call; past it the store counts as down (default 2000). */
  timeoutMs?: number
}

export interface KeyValue {
  key: string
  value: string
  modRevision: string
}

export type Compare = { key: string; absent: true } | { key: string; modRevision: string }

export type Op = { put: string; value: string } | { delete: string }

interface RawKv {
  key: string
  value?: string
  mod_revision?: string
}

export class EtcdClient {
  readonly endpoint: string
  readonly timeoutMs: number

  constructor(options: EtcdClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '')
    this.timeoutMs = options.timeoutMs ?? 2000
  }

  /** Keys in [key, rangeEnd) in key order, at most `limit`. `more` says whether more follow. */
  async range(key: string, options: { rangeEnd?: string; limit?: number } = {}): Promise<{ kvs: KeyValue[]; more: boolean }> {
    const body: Record<string, unknown> = { key: b64(key) }
    if (options.rangeEnd !== undefined) body.range_end = b64(options.rangeEnd)
    if (options.limit !== undefined) body.limit = String(options.limit)
    const res = (await this.#call('/v3/kv/range', body)) as { kvs?: RawKv[]; more?: boolean }
    const kvs = (res.kvs ?? []).map((kv) => ({ key: unb64(kv.key), value: unb64(kv.value ?? ''), modRevision: kv.mod_revision ?? '0' }))
    return { kvs, more: res.more === true }
  }

  async get(key: string): Promise<KeyValue | null> {
    return (await this.range(key)).kvs[0] ?? null
  }

  /** Applies every op, atomically, only if every comparison holds; true when it did. */
  async txn(compare: Compare[], ops: Op[]): Promise<boolean> {
    const res = (await this.#call('/v3/kv/txn', {
      compare: compare.map((c) =>
        'absent' in c
          ? { key: b64(c.key), target: 'CREATE', result: 'EQUAL', create_revision: '0' }
          : { key: b64(c.key), target: 'MOD', result: 'EQUAL', mod_revision: c.modRevision },
      ),
      success: ops.map((op) =>
        'put' in op ? { request_put: { key: b64(op.put), value: b64(op.value) } } : { request_delete_range: { key: b64(op.delete) } },
      ),
    })) as { succeeded?: boolean }
    // proto3 JSON leaves out false booleans, so a missing field means "did not apply".
    return res.succeeded === true
  }

  async #call(path: string, body: unknown): Promise<unknown> {
    const url = this.endpoint + path
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    // Racing a timer as well as aborting: the deadline holds even if an abort is slow to land.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort()
        reject(new StoreUnavailableError(`etcd at ${this.endpoint} did not answer within ${this.timeoutMs} ms`))
      }, this.timeoutMs)
    })
    try {
      return await Promise.race([deadline, this.#post(url, body, controller.signal)])
    } finally {
      clearTimeout(timer)
    }
  }

  async #post(url: string, body: unknown, signal: AbortSignal): Promise<unknown> {
    let res: Response
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal })
    } catch (err) {
      throw new StoreUnavailableError(`etcd at ${this.endpoint} is unreachable: ${(err as Error)?.message ?? err}`)
    }
    let text: string
    try {
      text = await res.text()
    } catch (err) {
      throw new StoreUnavailableError(`etcd at ${this.endpoint} closed the connection mid-answer: ${(err as Error)?.message ?? err}`)
    }
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      // etcd answers 503 with "etcdserver: no leader" or "request timed out" while it recovers.
      throw new StoreUnavailableError(`etcd at ${this.endpoint} answered ${res.status}: ${errorText(text)}`)
    }
    if (!res.ok) throw new Error(`etcd ${url} answered ${res.status}: ${errorText(text)}`)
    return JSON.parse(text)
  }
}

/** The smallest key greater than every key that starts with `prefix`: etcd's "range_end" for a prefix. */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)
}

function errorText(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: string; message?: string }
    return parsed.message ?? parsed.error ?? text
  } catch {
    return text.slice(0, 200)
  }
}

function b64(text: string): string {
  let bin = ''
  for (const byte of new TextEncoder().encode(text)) bin += String.fromCharCode(byte)
  return btoa(bin)
}

function unb64(data: string): string {
  const bin = atob(data)
  const bytes = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i)
  return new TextDecoder().decode(bytes)
}
