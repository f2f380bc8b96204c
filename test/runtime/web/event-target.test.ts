import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { lines, sameAsNode } from '../../support/same-as-node.ts'
import { runInRuntime } from '../../support/script.ts'

test('calls listeners in the order they were added, capture or not, skipping duplicates, until stopImmediatePropagation', async () => {
  await sameAsNode(
    `
    const et = new EventTarget()
    const handler = { handleEvent(e) { print('handleEvent', e.type, this === handler) } }
    et.addEventListener('x', handler)
    et.addEventListener('x', handler)
    et.addEventListener('x', function () { print('plain', this === et) })
    et.addEventListener('x', () => print('capture'), true)
    et.addEventListener('x', (e) => { print('stopper'); e.stopImmediatePropagation() })
    et.addEventListener('x', () => print('never'))
    print('result', et.dispatchEvent(new Event('x')))
  `,
    lines('handleEvent x true', 'plain true', 'capture', 'stopper', 'result true'),
  )
})

test('preventDefault cancels only cancelable events', async () => {
  await sameAsNode(
    `
    const et = new EventTarget()
    et.addEventListener('y', (e) => e.preventDefault())
    const cancelable = new Event('y', { cancelable: true })
    print('cancelable', et.dispatchEvent(cancelable), cancelable.defaultPrevented)
    const plain = new Event('y')
    print('not cancelable', et.dispatchEvent(plain), plain.defaultPrevented)
    print(cancelable.eventPhase, cancelable.currentTarget, cancelable.target === et, cancelable.bubbles, cancelable.composed)
  `,
    lines('cancelable false true', 'not cancelable true false', '0 null true false false'),
  )
})

test('ignores preventDefault in a passive listener, as the DOM Standard says (Node 20 does not)', async () => {
  const run = await runInRuntime(`
    const et = new EventTarget()
    et.addEventListener('y', (e) => e.preventDefault(), { passive: true })
    const event = new Event('y', { cancelable: true })
    print(et.dispatchEvent(event), event.defaultPrevented)
  `)
  assert.is(run.stdout, lines('true false'), run.stderr)
})

test('logs an error thrown by a listener and still calls the others', async () => {
  const run = await runInRuntime(`
    const et = new EventTarget()
    et.addEventListener('e', () => { throw new Error('listener failed') })
    et.addEventListener('e', () => print('second listener ran'))
    print(et.dispatchEvent(new Event('e')))
  `)
  assert.is(run.stdout, lines('second listener ran', 'true'))
  assert.match(run.stderr, /^Uncaught Error: listener failed\n {4}at /)
  assert.is(run.code, 0)
})

test('once, removeEventListener and an aborted signal remove listeners', async () => {
  await sameAsNode(
    `
    const et = new EventTarget()
    et.addEventListener('o', () => print('once'), { once: true })
    const removed = () => print('removed')
    et.addEventListener('r', removed)
    et.removeEventListener('r', removed)
    et.addEventListener('c', () => print('capture only removed'), { capture: true })
    et.removeEventListener('c', () => {}, true)
    const ctl = new AbortController()
    et.addEventListener('s', () => print('signal listener'), { signal: ctl.signal })
    for (const t of ['o', 'o', 'r', 's']) et.dispatchEvent(new Event(t))
    ctl.abort()
    et.dispatchEvent(new Event('s'))
    et.addEventListener('s', () => print('never added'), { signal: ctl.signal })
    et.dispatchEvent(new Event('s'))
    print('done')
  `,
    lines('once', 'signal listener', 'done'),
  )
})

test('CustomEvent carries detail; Event needs a type and has the phase constants', async () => {
  await sameAsNode(
    `
    const ce = new CustomEvent('c', { detail: { k: 1 } })
    print(JSON.stringify(ce.detail), ce instanceof Event, new CustomEvent('d').detail)
    try { new Event(); print('no error') } catch (e) { print('new Event():', e.name) }
    print(Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET, Event.BUBBLING_PHASE, typeof new Event('t').timeStamp)
    try { new EventTarget().dispatchEvent({ type: 'x' }) } catch (e) { print('dispatch non-event:', e.name) }
  `,
    lines('{"k":1} true null', 'new Event(): TypeError', '0 1 2 3 number', 'dispatch non-event: TypeError'),
  )
})

test.run()
