// Error.captureStackTrace for bundles that import node:net: the engine has none, and
// drivers call it without checking (pg-pool, on every failed query). It sets `stack` to
// the target's "name: message" line over the caller's frames, which is what they use it
// for. Only these bundles get it, so code elsewhere that probes for V8 with it is unaffected.
const E = Error as unknown as { captureStackTrace?: (target: object, ctor?: unknown) => void }
if (typeof E.captureStackTrace !== 'function') {
  Object.defineProperty(E, 'captureStackTrace', {
    value(target: object) {
      const frames = (new Error().stack ?? '').split('\n').slice(2).join('\n')
      const t = target as { name?: unknown; message?: unknown }
      const head = t.message ? `${String(t.name ?? 'Error')}: ${String(t.message)}` : String(t.name ?? 'Error')
      Object.defineProperty(target, 'stack', { value: `${head}\n${frames}`, writable: true, configurable: true })
    },
    writable: true,
    configurable: true,
  })
}
