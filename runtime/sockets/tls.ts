// Where TLS plugs into the socket layer. A TLS client (mbedTLS in the core, with
// certificates verified as fetch verifies them) will take over the transport's bytes
// here: for secureTransport 'on' and tls.connect right after the TCP connect, and for
// startTls() on request. Until it lands every call rejects, saying so.

/** What the TLS step needs of the transport it secures (kept here, so tls.ts imports nothing above it). */
export interface SecurableTransport {
  readonly host: string
  readonly port: number
}

export interface TlsSettings {
  /** The name the certificate must carry (SNI and verification); default the host connected to. */
  servername?: string
  /** Verify the chain and name (default true). */
  rejectUnauthorized?: boolean
  /** Extra trusted CAs, PEM. */
  ca?: string | string[]
}

export class TlsNotAvailableError extends Error {
  readonly code = 'ERR_TLS_NOT_AVAILABLE'
  constructor(what: string) {
    super(`${what}: TLS is not available in this runtime yet; connect with secureTransport 'off' (plain TCP), e.g. to a database on the cluster network or through a TLS sidecar`)
    this.name = 'Error'
  }
}

/** Runs the TLS handshake over an open transport; resolves once data can flow encrypted. */
export function startTlsOn(transport: SecurableTransport, settings: TlsSettings): Promise<void> {
  void transport
  void settings
  return Promise.reject(new TlsNotAvailableError('TLS'))
}
