// Which pg errors mean "the database cannot be reached right now" (answer 503 and let
// the client retry) rather than a bug in our SQL (500): the connection was refused,
// reset, timed out or closed, the name did not resolve, or the server is starting,
// shutting down or out of connections (SQLSTATE class 08, 57P01-57P03, 53300).
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EMFILE'])
const SERVER = new Set(['57P01', '57P02', '57P03', '53300'])
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|connection attempt failed|Client was closed|not queryable/i

export function isUnavailable(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false
  const e = err as { code?: unknown; message?: unknown; cause?: unknown }
  const code = typeof e.code === 'string' ? e.code : ''
  if (NETWORK.has(code) || SERVER.has(code) || code.startsWith('08')) return true
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true
  return e.cause !== undefined && e.cause !== err && isUnavailable(e.cause)
}

/** The URL with its password masked, for logs and errors. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@')
}
