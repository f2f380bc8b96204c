// The moment the web layer loaded, before any app code: performance.timeOrigin and
// process.uptime() count from it. performance and process are lazy builtins, each with its
// own copy of this module, evaluated on first use: so the first evaluation (the web layer's,
// at start-up) keeps the times on the core object, and the copies read them from there.
import { core } from './core.ts'

interface Origin {
  hr: number
  wall: number
}
const shared = core as typeof core & { clockOrigin?: Origin }
if (shared.clockOrigin === undefined) {
  Object.defineProperty(shared, 'clockOrigin', { value: { hr: core.hrtime(), wall: core.wallTime() }, enumerable: false })
}

export const startHr = shared.clockOrigin!.hr
export const startWall = shared.clockOrigin!.wall
