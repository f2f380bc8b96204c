// fetch's one error shape, as Node's: a TypeError whose message starts "fetch failed", with
// a cause only when there is one. Its own file, so the web layer and the lazy HTTP client
// builtin (builtins/http-client.ts) share it without either bundling the other.
export function fetchFailed(detail: string, cause?: unknown): TypeError {
  return cause === undefined ? new TypeError(`fetch failed: ${detail}`) : new TypeError(`fetch failed: ${detail}`, { cause })
}
