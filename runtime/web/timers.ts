// setTimeout/setInterval/clearTimeout/clearInterval and queueMicrotask on the
// core's one-shot timers. Ids are numbers, as in browsers, and one id space
// serves both kinds, so clearTimeout cancels an interval as a browser's does.
// A callback that throws is left to the core, which owns what an uncaught
// error does to the process.
import { core } from './core.ts'

type Callback = (...args: unknown[]) => void

// Public id -> the core timer currently scheduled for it (intervals re-arm with a new one).
const active = new Map<number, number>()
let lastId = 0

// Node's clamp, so that setTimeout(f, 0) and setTimeout(g, 1) run in call order
// there and here; browsers differ only in treating 0 as 0.
function delayOf(ms: unknown): number {
  const n = Number(ms)
  return n >= 1 && n <= 2147483647 ? n : 1
}

function callbackOf(fn: unknown): Callback {
  if (typeof fn !== 'function') throw new TypeError('The "callback" argument must be of type function. Received ' + typeof fn)
  return fn as Callback
}

function start(fn: unknown, ms: unknown, args: unknown[], repeat: boolean): number {
  const cb = callbackOf(fn)
  const delay = delayOf(ms)
  const id = ++lastId
  const fire = () => {
    if (!active.has(id)) return
    // Re-arm before the call, so the callback may clear its own interval.
    if (repeat) active.set(id, core.setTimer(delay, fire))
    else active.delete(id)
    if (args.length === 0) cb()
    else cb(...args)
  }
  active.set(id, core.setTimer(delay, fire))
  return id
}

function clear(id: unknown): void {
  const key = typeof id === 'number' ? id : Number(id)
  const timer = active.get(key)
  if (timer === undefined) return
  active.delete(key)
  core.clearTimer(timer)
}

export function setTimeout(callback: Callback, ms?: number, ...args: unknown[]): number {
  return start(callback, ms, args, false)
}

export function setInterval(callback: Callback, ms?: number, ...args: unknown[]): number {
  return start(callback, ms, args, true)
}

export function clearTimeout(id?: number): void {
  clear(id)
}

export function clearInterval(id?: number): void {
  clear(id)
}

const resolved = Promise.resolve()

// A promise job is exactly a microtask in QuickJS's one job queue. An error thrown
// by the callback surfaces as an unhandled rejection, which the core reports.
export function queueMicrotask(callback: () => void): void {
  const cb = callbackOf(callback)
  resolved.then(() => cb())
}
