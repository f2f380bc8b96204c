// A small client for the OCI distribution API, over Node's fetch: just what a push
// needs. HEAD a blob, mount one from another repository, upload one (monolithic PUT, or
// PATCH chunks then PUT), HEAD, GET and PUT a manifest, and ask for the referrers API. Each call is one attempt: it throws
// RegistryError, transient or not, and the caller (push.ts) decides about retrying,
// so a retried upload always starts a fresh upload session.
import type { RegistryAuth } from './auth.ts'
import { errorText, networkError, RegistryError } from './errors.ts'
import type { RegistryTarget } from './reference.ts'

export interface RegistryClientOptions {
  target: RegistryTarget
  auth: RegistryAuth
  /** Blobs larger than this go up in PATCH chunks of this size (default 16 MiB). */
  chunkBytes?: number
  /** Waits this long before each request that sends blob data: a debug hook for tests that interrupt a push. */
  pauseMs?: number
  /** Per request (default 120 s); a timeout counts as transient. */
  timeoutMs?: number
  userAgent?: string
}

interface Send {
  method: string
  url: string | URL
  scopes: string[]
  headers?: Record<string, string>
  body?: Uint8Array
}

const defaults = { chunkBytes: 16 << 20, pauseMs: 0, timeoutMs: 120_000, userAgent: 'scratchfn' }
const known = new Set(['target', 'auth', 'chunkBytes', 'pauseMs', 'timeoutMs', 'userAgent'])

export const pushScope = (repo: string) => `repository:${repo}:pull,push`

export class RegistryClient {
  private readonly o: typeof defaults & RegistryClientOptions

  constructor(options: RegistryClientOptions) {
    for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`RegistryClient: unknown option '${key}'`)
    this.o = { ...defaults, ...options }
    if (!Number.isSafeInteger(this.o.chunkBytes) || this.o.chunkBytes < 1024)
      throw new TypeError(`RegistryClient: chunkBytes must be a whole number of at least 1024, got ${this.o.chunkBytes}`)
  }

  /** GET /v2/: is this a registry, and does it want a login? Learns the auth challenge early. */
  async ping(): Promise<void> {
    const res = await this.send({ method: 'GET', url: this.url('/v2/'), scopes: [] })
    await drain(res)
    if (!res.ok)
      throw new RegistryError(`GET ${this.o.target.host}/v2/ answered ${res.status}; is ${this.o.target.baseUrl} an OCI registry?`, {
        transient: false,
        status: res.status,
      })
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    return this.exists(`/v2/${repo}/blobs/${digest}`, repo, {})
  }

  async hasManifest(repo: string, reference: string, mediaType: string): Promise<boolean> {
    return this.exists(`/v2/${repo}/manifests/${reference}`, repo, { accept: mediaType })
  }

  /** The manifest's bytes, or null when the registry has none under that reference (404). */
  async getManifest(repo: string, reference: string, accept: string): Promise<Buffer | null> {
    const url = this.url(`/v2/${repo}/manifests/${reference}`)
    const res = await this.send({ method: 'GET', url, scopes: [pushScope(repo)], headers: { accept } })
    if (res.status === 404) {
      await drain(res)
      return null
    }
    if (res.status !== 200) throw await this.unexpected(res, 'GET', url)
    return Buffer.from(await res.arrayBuffer())
  }

  /**
   * Whether the registry offers OCI 1.1's referrers API: GET /v2/<repo>/referrers/<digest>
   * answers an index (200) where it does, 404 where it does not (distribution 2.8, for one).
   */
  async hasReferrersApi(repo: string, digest: string): Promise<boolean> {
    const url = this.url(`/v2/${repo}/referrers/${digest}`)
    const res = await this.send({
      method: 'GET',
      url,
      scopes: [pushScope(repo)],
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    })
    await drain(res)
    if (res.status === 200) return true
    if (res.status === 404) return false
    throw await this.unexpected(res, 'GET', url)
  }

  /**
   * Asks the registry to link a blob it holds under `from` into `repo`, without sending
   * it. Returns true when it did (201); otherwise the upload session it opened instead
   * (202), which uploadBlob can use.
   */
  async mountBlob(repo: string, digest: string, from: string): Promise<true | string> {
    const url = this.url(`/v2/${repo}/blobs/uploads/`)
    url.searchParams.set('mount', digest)
    url.searchParams.set('from', from)
    const res = await this.send({ method: 'POST', url, scopes: [pushScope(repo), `repository:${from}:pull`] })
    if (res.status === 201) {
      await drain(res)
      return true
    }
    if (res.status === 202) {
      await drain(res)
      return this.location(res, url)
    }
    throw await this.unexpected(res, 'POST', url)
  }

  /** Uploads a blob and checks the registry stored the digest we computed. */
  async uploadBlob(repo: string, digest: string, data: Uint8Array, session?: string): Promise<void> {
    const scopes = [pushScope(repo)]
    let location = session
    if (!location) {
      const start = this.url(`/v2/${repo}/blobs/uploads/`)
      await this.pause()
      const res = await this.send({ method: 'POST', url: start, scopes })
      if (res.status !== 202) throw await this.unexpected(res, 'POST', start)
      await drain(res)
      location = this.location(res, start)
    }
    let body: Uint8Array | undefined = data
    if (data.length > this.o.chunkBytes) {
      for (let at = 0; at < data.length; at += this.o.chunkBytes) {
        const chunk = data.subarray(at, Math.min(data.length, at + this.o.chunkBytes))
        await this.pause()
        const res = await this.send({
          method: 'PATCH',
          url: location,
          scopes,
          body: chunk,
          headers: { 'content-type': 'application/octet-stream', 'content-range': `${at}-${at + chunk.length - 1}` },
        })
        if (res.status !== 202) throw await this.unexpected(res, 'PATCH', location)
        await drain(res)
        location = this.location(res, new URL(location))
      }
      body = undefined
    }
    const finish = new URL(location)
    finish.searchParams.set('digest', digest)
    await this.pause()
    const res = await this.send({
      method: 'PUT',
      url: finish,
      scopes,
      body: body ?? new Uint8Array(0),
      headers: { 'content-type': 'application/octet-stream' },
    })
    if (res.status !== 201) throw await this.unexpected(res, 'PUT', finish)
    await drain(res)
    const stored = res.headers.get('docker-content-digest')
    if (stored && stored !== digest)
      throw new RegistryError(`${this.o.target.host} stored blob ${digest} as ${stored}`, { transient: false })
  }

  /** PUT /v2/<repo>/manifests/<digest or tag>. The registry refuses it while a blob it names is missing. */
  async putManifest(repo: string, reference: string, mediaType: string, bytes: Uint8Array, digest: string): Promise<void> {
    const url = this.url(`/v2/${repo}/manifests/${reference}`)
    const res = await this.send({ method: 'PUT', url, scopes: [pushScope(repo)], body: bytes, headers: { 'content-type': mediaType } })
    if (res.status !== 201 && res.status !== 200) throw await this.unexpected(res, 'PUT', url)
    await drain(res)
    const stored = res.headers.get('docker-content-digest')
    if (stored && stored !== digest)
      throw new RegistryError(`${this.o.target.host} stored manifest ${digest} of ${repo} as ${stored}; it rewrote the manifest`, {
        transient: false,
      })
  }

  private async exists(path: string, repo: string, headers: Record<string, string>): Promise<boolean> {
    const url = this.url(path)
    const res = await this.send({ method: 'HEAD', url, scopes: [pushScope(repo)], headers })
    await drain(res)
    if (res.status === 200) return true
    if (res.status === 404) return false
    throw await this.unexpected(res, 'HEAD', url)
  }

  /** One request; a 401 is answered once with the registry's challenge. */
  private async send(r: Send): Promise<Response> {
    const what = `${r.method} ${this.show(r.url)}`
    for (let secondTry = false; ; secondTry = true) {
      const authorization = await this.o.auth.header(r.scopes)
      let res: Response
      try {
        res = await fetch(r.url, {
          method: r.method,
          headers: { 'user-agent': this.o.userAgent, ...(authorization ? { authorization } : {}), ...r.headers },
          ...(r.body ? { body: r.body as Uint8Array<ArrayBuffer> } : {}),
          signal: AbortSignal.timeout(this.o.timeoutMs),
        })
      } catch (err) {
        throw networkError(what, err)
      }
      if (res.status === 401) {
        await this.o.auth.unauthorized(res, authorization, r.scopes, secondTry)
        continue
      }
      if (res.status === 403) throw this.o.auth.forbidden(await errorText(res), what)
      if (res.status >= 500 || res.status === 429) {
        const after = Number(res.headers.get('retry-after'))
        throw new RegistryError(`${what} answered ${await errorText(res)}`, {
          transient: true,
          status: res.status,
          ...(after > 0 ? { retryAfterMs: after * 1000 } : {}),
        })
      }
      return res
    }
  }

  private async unexpected(res: Response, method: string, url: string | URL): Promise<RegistryError> {
    return new RegistryError(`${method} ${this.show(url)} answered ${await errorText(res)}`, { transient: false, status: res.status })
  }

  private location(res: Response, base: URL): string {
    const value = res.headers.get('location')
    if (!value) throw new RegistryError(`${this.o.target.host} opened an upload without a Location header`, { transient: false })
    return new URL(value, base).toString()
  }

  private url(path: string): URL {
    return new URL(path, this.o.target.baseUrl)
  }

  /** host + path, without the upload session's opaque state. */
  private show(url: string | URL): string {
    const u = new URL(url)
    return `${this.o.target.host}${u.pathname}`
  }

  private async pause(): Promise<void> {
    if (this.o.pauseMs > 0) await new Promise((r) => setTimeout(r, this.o.pauseMs))
  }
}

async function drain(res: Response): Promise<void> {
  await res.arrayBuffer().catch(() => undefined)
}
