// accounts' call to the quotes function. A quote is a nice-to-have, so this never
// throws and never waits past its deadline: it answers what happened instead, and
// the account is served either way.

export interface Quote {
  text: string
  author: string
  /** The quotes instance that served it. */
  instance: string
}

export type QuoteResult = { quote: Quote; quote_status: 'ok' } | { quote_status: 'timeout' | 'unavailable' }

export interface QuoteOptions {
  /** The quotes function's base URL, e.g. http://quotes:8080/quotes. */
  baseUrl: string
  /** Past this, give up and answer 'timeout' (default 500). */
  timeoutMs?: number
  /** Passed on, so one id follows the request through both functions' logs. */
  requestId?: string
}

export async function fetchQuote(options: QuoteOptions): Promise<QuoteResult> {
  const timeoutMs = options.timeoutMs ?? 500
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  // The timer settles the race itself, so the deadline holds even if the abort is slow to land.
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort()
      resolve('timeout')
    }, timeoutMs)
  })
  const headers: Record<string, string> = { accept: 'application/json' }
  if (options.requestId) headers['x-request-id'] = options.requestId
  const attempt = (async (): Promise<QuoteResult> => {
    try {
      const res = await fetch(options.baseUrl.replace(/\/+$/, '') + '/random', { headers, signal: controller.signal })
      if (!res.ok) {
        await res.body?.cancel()
        return warn(options, `quotes answered ${res.status}`)
      }
      const body = (await res.json()) as Partial<Quote>
      if (typeof body.text !== 'string' || typeof body.author !== 'string' || typeof body.instance !== 'string') {
        return warn(options, 'quotes answered JSON without text, author and instance')
      }
      return { quote: { text: body.text, author: body.author, instance: body.instance }, quote_status: 'ok' }
    } catch (err) {
      // Our own abort at the deadline: the race below has already answered 'timeout'.
      if (controller.signal.aborted) return { quote_status: 'timeout' }
      return warn(options, `quotes unreachable: ${(err as Error)?.message ?? err}`)
    }
  })()
  try {
    const first = await Promise.race([deadline, attempt])
    if (first !== 'timeout') return first
    log(options, `quotes did not answer within ${timeoutMs} ms`)
    return { quote_status: 'timeout' }
  } finally {
    clearTimeout(timer)
  }
}

function warn(options: QuoteOptions, reason: string): QuoteResult {
  log(options, reason)
  return { quote_status: 'unavailable' }
}

function log(options: QuoteOptions, reason: string): void {
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'warn',
      msg: `accounts: answered without a quote: ${reason}`,
      quotes_url: options.baseUrl,
      request_id: options.requestId,
    }),
  )
}
