// DOMException, Event, EventTarget, CustomEvent, AbortController/AbortSignal and
// performance, built into the runtime as their own bytecode and evaluated on first use
// (see scripts/runtime/lazy-builtins.ts). Every other part of the web layer reaches
// DOMException through this one builtin (dom-exception-class.ts), so there is one class.
import { AbortController, AbortSignal } from '../abort.ts'
import { nameExports } from '../define-global.ts'
import { DOMException } from '../dom-exception.ts'
import { CustomEvent, Event, EventTarget } from '../event-target.ts'
import { Performance, performance } from '../performance.ts'

nameExports({ AbortController, AbortSignal, CustomEvent, DOMException, Event, EventTarget, Performance })

export { AbortController, AbortSignal, CustomEvent, DOMException, Event, EventTarget, Performance, performance }
