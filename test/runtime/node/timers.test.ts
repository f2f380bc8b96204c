import { test } from 'uvu'
import { matchesNode } from '../../support/same-as-node.ts'

test('setImmediate runs after the current job, in order; clearImmediate cancels', async () => {
  await matchesNode(`
    const order: string[] = []
    setImmediate((a: string, b: string) => order.push('immediate ' + a + b), 'x', 'y')
    const cancelled = setImmediate(() => order.push('cancelled'))
    clearImmediate(cancelled)
    setImmediate(() => { order.push('second'); setImmediate(() => { order.push('nested'); print(order.join(', ')) }) })
    Promise.resolve().then(() => order.push('microtask'))
    order.push('sync')
    print(typeof cancelled.hasRef, cancelled.hasRef(), cancelled.unref().hasRef())
  `)
})

test('node:timers returns Timeout objects; timers/promises resolves, iterates and aborts', async () => {
  await matchesNode(`
    import { setTimeout as st, clearTimeout as ct, setInterval as si, clearInterval as ci } from 'node:timers'
    import { setTimeout as sleep, setImmediate as nextTurn, setInterval as every, scheduler } from 'node:timers/promises'
    const t = st(() => print('never'), 5)
    print(typeof t.unref, t.hasRef(), t.unref().hasRef(), t.ref().hasRef(), typeof +t)
    ct(t)
    ;(async () => {
      await new Promise<void>((resolve) => {
        let n = 0
        const i = si(() => { if (++n === 3) { ci(i); print('interval ran', n); resolve() } }, 1)
      })
      print('slept', await sleep(2, 'value'), await nextTurn('imm'))
      await scheduler.wait(1)
      const ticks: number[] = []
      for await (const v of every(1, 7)) { ticks.push(v); if (ticks.length === 3) break }
      print('every', ticks.join())
      const ac = new AbortController()
      const p = sleep(1000, null, { signal: ac.signal })
      ac.abort()
      try { await p } catch (e: any) { print('aborted', e.name, e.code, e.message) }
      try { await sleep(1, null, { signal: 'x' as any }) } catch (e: any) { print(e.code) }
    })()
  `)
})

test.run()
