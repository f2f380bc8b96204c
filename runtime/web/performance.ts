// performance.now() and timeOrigin (High Resolution Time): milliseconds on the
// monotonic clock since the process started. Only what servers use: Hono's
// timing middleware and most libraries need `now()` alone, so marks and
// measures are left out.
import { startHr, startWall } from './clock-origin.ts'
import { core } from './core.ts'

export function now(): number {
  return core.hrtime() - startHr
}

export class Performance {
  get timeOrigin(): number {
    return startWall
  }
  now(): number {
    return core.hrtime() - startHr
  }
  toJSON(): { timeOrigin: number } {
    return { timeOrigin: startWall }
  }
}

Object.defineProperty(Performance.prototype, Symbol.toStringTag, { value: 'Performance', configurable: true })

export const performance = new Performance()
