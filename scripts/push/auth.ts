// Answers a registry's WWW-Authenticate challenge. The registry says how it wants to
// be spoken to on the first 401: `Basic realm=...` (send the user and password), or
// `Bearer realm=...,service=...,scope=...` (fetch a token from the realm for the
// scopes we need, as the distribution token spec describes, then send that). Tokens
// are cached per set of scopes. Credentials are looked up only when a challenge asks
// for them, so an anonymous registry never needs a login file.
import type { Credentials } from './credentials.ts'
import { AuthError, errorText, networkError, RegistryError } from './errors.ts'

export interface Challenge {
  scheme: 'basic' | 'bearer'
  params: Record<string, string>
}

/** Parses `Bearer realm="https://x/token",service="x",scope="repository:a:pull"`. */
export function parseChallenge(header: string | null): Challenge | null {
  const m = header ? /^\s*(\w+)\s*(.*)$/s.exec(header) : null
  if (!m) return null
  const scheme = m[1].toLowerCase()
  if (scheme !== 'basic' && scheme !== 'bearer') return null
  const params: Record<string, string> = {}
  for (const p of m[2].matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]
  return { scheme, params }
}

export interface RegistryAuthOptions {
  /** The registry host as the user named it, for messages and the login hint. */
  host: string
  /** Called at most once, on the first challenge. */
  credentials: () => Credentials | null
  timeoutMs?: number
  userAgent?: string
}

const known = new Set(['host', 'credentials', 'timeoutMs', 'userAgent'])

export class RegistryAuth {
  private challenge: Challenge | null = null
  private creds: Credentials | null | undefined
  private tokens = new Map<string, string>()
  private readonly o: Required<RegistryAuthOptions>

  constructor(options: RegistryAuthOptions) {
    for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`RegistryAuth: unknown option '${key}'`)
    this.o = { timeoutMs: 60_000, userAgent: 'scratchfn', ...options }
  }

  /** The Authorization header for a request that needs these scopes, if the registry asked for one. */
  async header(scopes: string[]): Promise<string | undefined> {
    if (!this.challenge) return undefined
    if (this.challenge.scheme === 'basic') {
      const c = this.credentials()
      return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined
    }
    const key = [...scopes].sort().join(' ')
    let token = this.tokens.get(key)
    if (!token) {
      token = await this.fetchToken(scopes)
      this.tokens.set(key, token)
    }
    return `Bearer ${token}`
  }

  /**
   * A request got 401. Learns the challenge and says whether to send the request again
   * with header(): yes the first time; no when it was already a second try (throws the
   * refusal, which names the credentials and their source).
   */
  async unauthorized(res: Response, sent: string | undefined, scopes: string[], secondTry: boolean): Promise<true> {
    const challenge = parseChallenge(res.headers.get('www-authenticate'))
    const detail = await errorText(res)
    if (!challenge)
      throw new AuthError(`${this.o.host} answered 401 without a Basic or Bearer challenge (${detail}); scratchfn cannot log in to it`, 401)
    this.challenge = challenge
    // A cached token may have expired during a long push: fetch a fresh one.
    this.tokens.delete([...scopes].sort().join(' '))
    if (secondTry || (sent?.startsWith('Basic') && challenge.scheme === 'basic')) throw this.refused(detail, 401)
    if (challenge.scheme === 'basic' && !this.credentials()) throw this.needsLogin(`Basic realm="${challenge.params.realm ?? ''}"`)
    return true
  }

  /** 403: the credentials are valid but may not push here. */
  forbidden(detail: string, what: string): AuthError {
    const c = this.credentials()
    return new AuthError(
      `${this.o.host} denied ${what} to ${c ? `user '${c.username || '<token>'}' (from ${c.source})` : 'anonymous requests'}: ${detail}; check that this account may push to the namespace`,
      403,
    )
  }

  private credentials(): Credentials | null {
    if (this.creds === undefined) this.creds = this.o.credentials()
    return this.creds
  }

  private needsLogin(challenge: string): AuthError {
    return new AuthError(
      `${this.o.host} needs credentials (${challenge}) and none were found; log in with \`podman login ${this.o.host}\` or \`docker login ${this.o.host}\`, or set SCRATCHFN_REGISTRY_USER and SCRATCHFN_REGISTRY_PASSWORD`,
      401,
    )
  }

  private refused(detail: string, status: number): AuthError {
    const c = this.credentials()
    if (!c) return this.needsLogin(`${this.challenge?.scheme ?? ''} realm="${this.challenge?.params.realm ?? ''}"`)
    return new AuthError(
      `${this.o.host} refused the credentials of user '${c.username || '<token>'}' from ${c.source} (${detail}); check them, or log in again with \`podman login ${this.o.host}\``,
      status,
    )
  }

  private async fetchToken(scopes: string[]): Promise<string> {
    const { realm, service } = this.challenge!.params
    if (!realm) throw new AuthError(`${this.o.host} asked for a Bearer token but named no realm to get it from`, 401)
    const url = new URL(realm)
    const c = this.credentials()
    const headers: Record<string, string> = { 'user-agent': this.o.userAgent }
    let res: Response
    try {
      if (c?.identityToken) {
        // An OAuth2 refresh token (docker's identitytoken) is exchanged with a POST.
        const form = new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: c.identityToken,
          client_id: 'scratchfn',
          ...(service ? { service } : {}),
        })
        for (const s of scopes) form.append('scope', s)
        res = await fetch(url, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
          signal: AbortSignal.timeout(this.o.timeoutMs),
        })
      } else {
        if (service) url.searchParams.set('service', service)
        for (const s of scopes) url.searchParams.append('scope', s)
        if (c) headers.authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
        res = await fetch(url, { headers, signal: AbortSignal.timeout(this.o.timeoutMs) })
      }
    } catch (err) {
      throw networkError(`token service ${url.origin}${url.pathname}`, err)
    }
    if (res.status === 401 || res.status === 403) {
      const detail = await errorText(res)
      if (!c) throw this.needsLogin(`Bearer realm="${realm}"`)
      throw this.refused(`token service ${url.origin}${url.pathname}: ${detail}`, res.status)
    }
    if (!res.ok) {
      throw new RegistryError(`token service ${url.origin}${url.pathname} answered ${await errorText(res)}`, {
        transient: res.status >= 500 || res.status === 429,
        status: res.status,
      })
    }
    const body = (await res.json().catch(() => ({}))) as { token?: string; access_token?: string }
    const token = body.token ?? body.access_token
    if (!token) throw new AuthError(`token service ${url.origin}${url.pathname} answered without a token`, res.status)
    return token
  }
}
