// The one door from the node: modules to the runtime: its C core (runtime/web/core.ts)
// and console's formatter. The modules are bundled into a function, not into the runtime,
// so they reach both through globals the runtime sets, typed here and nowhere else.
import type { Core } from '../../web/core.ts'
import type { InspectOptions } from '../../web/inspect.ts'

interface WebHooks {
  inspect(value: unknown, options?: InspectOptions): string
  format(args: unknown[]): string
  /** The crypto.subtle builtin's key access, for node:crypto's KeyObject.from. */
  subtle(): { isCryptoKey(value: unknown): boolean; materialOf<T>(key: unknown): T }
}

export const core: Core = (globalThis as { __core?: Core }).__core!
export const web: WebHooks = (globalThis as { __scratchfnWeb?: WebHooks }).__scratchfnWeb!
