// Intl.getCanonicalLocales, the first thing every FormatJS polyfill calls. It comes from the
// package's index, the copy the other packages import too: its polyfill-force.js would be a
// second, self-contained copy of the same 200 KB of alias data.
import { getCanonicalLocales } from '@formatjs/intl-getcanonicallocales'

const g = globalThis as { Intl?: object }
if (typeof g.Intl !== 'object') Object.defineProperty(globalThis, 'Intl', { value: {}, writable: true, configurable: true })
Object.defineProperty(g.Intl, 'getCanonicalLocales', { value: getCanonicalLocales, writable: true, configurable: true })
