import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('runs synchronous code, then microtasks in queue order, then timers by delay and call order', async () => {
  await sameAsNode(
    `
    const log = []
    setTimeout(() => log.push('t20'), 20)
    setTimeout(() => log.push('t0'), 0)
    setTimeout(() => log.push('t1'), 1)
    setTimeout(() => log.push('t1-second'), 1)
    Promise.resolve().then(() => log.push('promise1'))
    queueMicrotask(() => log.push('microtask'))
    Promise.resolve().then(() => log.push('promise2'))
    log.push('sync')
    setTimeout(() => print(log.join(' ')), 40)
  `,
    lines('sync promise1 microtask promise2 t0 t1 t1-second t20'),
  )
})

test('passes extra arguments to the callback and cancels a timer cleared before it fires', async () => {
  await sameAsNode(
    `
    setTimeout((a, b) => print('args', a, b), 1, 7, 'x')
    const id = setTimeout(() => print('never'), 1)
    clearTimeout(id)
    clearTimeout(undefined)
    clearTimeout(123456)
    setTimeout(function () { print('argc', arguments.length) }, 2)
  `,
    lines('args 7 x', 'argc 0'),
  )
})

test('returns numeric ids, distinct for every timer', async () => {
  await sameAsNode(
    `
    const ids = [setTimeout(() => {}, 1), setInterval(() => {}, 1), setTimeout(() => {}, 1)]
    print(ids.every((id) => Number(id) > 0), new Set(ids.map(Number)).size)
    ids.forEach((id) => clearInterval(id))
  `,
    lines('true 3'),
  )
})

test('repeats an interval until cleared, also from inside its own callback', async () => {
  await sameAsNode(
    `
    let n = 0
    const id = setInterval((tag) => {
      n++
      print(tag, n)
      if (n === 3) clearInterval(id)
    }, 2, 'tick')
  `,
    lines('tick 1', 'tick 2', 'tick 3'),
  )
  await sameAsNode(
    `
    const once = setInterval(() => { print('cleared by clearTimeout'); clearTimeout(once) }, 1)
  `,
    lines('cleared by clearTimeout'),
  )
})

test('a timer set from a timer runs after the microtasks it queued', async () => {
  await sameAsNode(
    `
    setTimeout(() => {
      print('outer')
      setTimeout(() => print('inner timer'), 0)
      Promise.resolve().then(() => print('inner microtask'))
    }, 1)
  `,
    lines('outer', 'inner microtask', 'inner timer'),
  )
})

test('never fires a timer set by start-up code before its delay, however long start-up took', async () => {
  await sameAsNode(
    `
    const end = Date.now() + 15
    while (Date.now() < end) {}
    const started = performance.now()
    // 19, not 20: Node's timers run on libuv's loop clock, whole milliseconds cached at the
    // turn's start, so Node itself may fire up to 1 ms early by performance.now(). A timer
    // that counted start-up's 15 ms against its delay would fire at about 5.
    setTimeout(() => print('waited the full delay', performance.now() - started >= 19), 20)
  `,
    lines('waited the full delay true'),
  )
})

test('rejects a callback that is not a function with TypeError', async () => {
  await sameAsNode(
    `
    for (const f of [() => setTimeout('code', 1), () => setInterval(null, 1), () => queueMicrotask(5)]) {
      try { f(); print('accepted') } catch (e) { print(e.name) }
    }
  `,
    lines('TypeError', 'TypeError', 'TypeError'),
  )
})

test.run()
