import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'

test('EventEmitter orders, prepends, unwraps once listeners and counts as Node does', async () => {
  const out = await matchesNode(`
    import { EventEmitter, getEventListeners, listenerCount } from 'node:events'
    import { inspect } from 'node:util'
    const e = new EventEmitter()
    e.on('newListener', (name: string) => print('newListener', String(name)))
    e.on('removeListener', (name: string) => print('removeListener', String(name)))
    const one = (a: number) => print('one', a)
    e.on('x', one); e.prependListener('x', (a: number) => print('zero', a)); e.once('x', (a: number) => print('once', a))
    print(e.emit('x', 1), e.emit('x', 2), e.emit('nothing'), e.listenerCount('x'), listenerCount(e, 'x'), e.eventNames().map(String).join())
    const onceFn = () => print('never')
    e.once('y', onceFn); print(e.listeners('y')[0] === onceFn, e.rawListeners('y')[0] === onceFn); e.off('y', onceFn); print(e.listenerCount('y'))
    print(getEventListeners(e, 'x').length, e.getMaxListeners(), EventEmitter.defaultMaxListeners)
    e.removeAllListeners('x'); print(e.listenerCount('x'))
    e.removeAllListeners(); print(e.eventNames().length)
    print(inspect(new EventEmitter()))
    class Sub extends EventEmitter { constructor() { super({ captureRejections: false }) } }
    const s = new Sub(); s.on('z', function (this: unknown) { print('this is emitter', this === s) }); s.emit('z')
    print(typeof EventEmitter.once, typeof EventEmitter.on, EventEmitter.EventEmitter === EventEmitter, require('events') === EventEmitter, require('events').EventEmitter === EventEmitter)
  `)
  assert.match(out, 'zero 1')
})

test("'error' without a listener throws; errorMonitor sees it first; the leak warning names the count", async () => {
  await matchesNode(`
    import { EventEmitter, errorMonitor } from 'events'
    const e = new EventEmitter()
    e.on(errorMonitor, (err: any) => print('monitor', err.message ?? err))
    try { e.emit('error', new Error('boom')) } catch (err: any) { print('threw', err.message) }
    try { e.emit('error', 'str') } catch (err: any) { print('threw', err.code, err.message) }
    try { e.emit('error', { a: 1 }) } catch (err: any) { print('threw', err.code, err.message) }
    try { e.on('x', 'nope' as any) } catch (err: any) { print('threw', err.code, err.message) }
    e.setMaxListeners(1)
    process.on('warning', (w: any) => print('warning', w.name, w.message, w.count))
    e.on('leak', () => {}); e.on('leak', () => {})
  `)
})

test('util.inherits and EventEmitter.call(this) work for old-style emitters', async () => {
  await matchesNode(`
    const EventEmitter = require('events')
    const util = require('util')
    function Client(this: any, name: string) { EventEmitter.call(this); this.name = name }
    util.inherits(Client, EventEmitter)
    Client.prototype.connect = function () { process.nextTick(() => this.emit('connect', this.name)) }
    const c = new (Client as any)('db')
    c.on('connect', (n: string) => print('connected', n, c instanceof EventEmitter, (Client as any).super_ === EventEmitter))
    c.connect()
  `)
})

test('events.once and events.on, with AbortSignal; captureRejections routes a rejected listener to error', async () => {
  await matchesNode(`
    import { EventEmitter, once, on } from 'node:events'
    const e = new EventEmitter()
    ;(async () => {
      setTimeout(() => e.emit('ready', 1, 2), 1)
      print('once', JSON.stringify(await once(e, 'ready')))
      setTimeout(() => e.emit('error', new Error('failed')), 1)
      try { await once(e, 'never') } catch (err: any) { print('once rejected', err.message) }
      const ac = new AbortController()
      setTimeout(() => ac.abort(), 1)
      try { await once(e, 'never', { signal: ac.signal }) } catch (err: any) { print('aborted', err.name, err.code) }
      setTimeout(() => { e.emit('tick', 'a'); e.emit('tick', 'b'); e.emit('tick', 'c') }, 1)
      const seen: string[] = []
      for await (const [v] of on(e, 'tick')) { seen.push(v as string); if (seen.length === 3) break }
      print('on', seen.join(), e.listenerCount('tick'))
      const c = new EventEmitter({ captureRejections: true })
      c.on('error', (err: any) => print('captured', err.message))
      c.on('job', async () => { throw new Error('async listener failed') })
      c.emit('job')
    })()
  `)
})

test.run()
