// Where TLS plugs into the socket layer: the runtime's TLS client (runtime/web/tls-client.ts
// over the core's mbedTLS sessions, certificates verified as fetch verifies them) takes
// over a transport's bytes, for secureTransport 'on' and tls.connect right after the TCP
// connect, and for startTls() and tls.connect({ socket }) on an open connection. The
// client is imported on first use, so a function that never speaks TLS pays nothing for it.
import type { LowerTransport, TlsClient, TlsEvents } from '../web/tls-client.ts'

export type { TlsClient }

export interface TlsSettings {
  /** The name the certificate must carry (SNI and verification); default the host connected to. */
  servername?: string
  /** Verify the chain and name (default true). */
  rejectUnauthorized?: boolean
  /** PEM certificates trusted instead of the defaults, as Node's `ca`. */
  ca?: string | string[]
}

/** Starts a TLS client session over `lower` (connected); its events say when it is secure. */
export async function startTlsOn(lower: LowerTransport, host: string, settings: TlsSettings, events: TlsEvents): Promise<TlsClient> {
  const { TlsClient } = await import('../web/tls-client.ts')
  const ca = settings.ca === undefined ? undefined : Array.isArray(settings.ca) ? settings.ca.join('\n') : String(settings.ca)
  const client = new TlsClient(lower, settings.servername || host, events, settings.rejectUnauthorized !== false, { ca, alpn: false })
  client.start()
  return client
}
