// The two kinds of registry failure that push treats differently: a transient one
// (network error, 5xx, 429) is retried with backoff; anything else, and above all a
// refused login, stops at once with a message that says what to do.

export class RegistryError extends Error {
  /** Worth retrying: the same request may well succeed later. */
  readonly transient: boolean
  readonly status?: number
  /** From a Retry-After header, when the registry sent one. */
  readonly retryAfterMs?: number
  constructor(message: string, opts: { transient: boolean; status?: number; retryAfterMs?: number }) {
    super(message)
    this.transient = opts.transient
    this.status = opts.status
    this.retryAfterMs = opts.retryAfterMs
  }
}

/** 401/403, or a token service that refused: never retried, since the same credentials fail the same way. */
export class AuthError extends RegistryError {
  constructor(message: string, status?: number) {
    super(message, { transient: false, status })
  }
}

/** 'CODE: message (detail)' from a distribution error body, or the status text. */
export async function errorText(res: Response): Promise<string> {
  const body = await res.text().catch(() => '')
  try {
    const errors = (JSON.parse(body) as { errors?: Array<{ code?: string; message?: string; detail?: unknown }> }).errors ?? []
    if (errors.length) {
      return errors
        .map(
          (e) =>
            `${e.code ?? 'ERROR'}: ${e.message ?? ''}${e.detail ? ` (${typeof e.detail === 'string' ? e.detail : JSON.stringify(e.detail)})` : ''}`,
        )
        .join('; ')
    }
  } catch {}
  return `${res.status} ${res.statusText}${body && body.length < 300 ? `: ${body.trim()}` : ''}`
}

/**
 * Turns a fetch failure into a RegistryError: refused, reset and timed out are
 * transient; a TLS failure is not (a plain-HTTP registry or an unknown CA stays so).
 */
export function networkError(what: string, err: unknown): RegistryError {
  const e = err as Error & { cause?: { code?: string; message?: string } }
  const code = e.cause?.code ?? ''
  const reason =
    e.name === 'TimeoutError' || e.name === 'AbortError' ? 'timed out' : [code, e.cause?.message ?? e.message].filter(Boolean).join(' ')
  const tls = /^(EPROTO|ERR_SSL|ERR_TLS|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code)
  const hint = tls ? '; for a registry with a private CA, set NODE_EXTRA_CA_CERTS=ca.pem; for a plain-HTTP one, add --insecure' : ''
  return new RegistryError(`${what}: ${reason}${hint}`, { transient: !tls })
}
