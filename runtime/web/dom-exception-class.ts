// DOMException as the events builtin defines it (runtime/web/builtins/events.ts): the web
// layer's modules outside that builtin, and the other builtins, throw this one class, so
// `instanceof DOMException` holds for every DOMException the runtime makes.
import type * as Events from './builtins/events.ts'
import { core } from './core.ts'

export function domExceptionClass(): typeof Events.DOMException {
  return (core.loadBuiltin('events') as typeof Events).DOMException
}
