import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('abort() fires abort listeners and onabort once, with an AbortError DOMException as reason', async () => {
  await sameAsNode(
    `
    const c = new AbortController()
    const s = c.signal
    print(s.aborted, s.reason, s instanceof EventTarget, Object.prototype.toString.call(s))
    s.addEventListener('abort', (e) => print('listener', e.type, e.target === s, e.currentTarget === s, e.eventPhase, e.isTrusted))
    s.onabort = (e) => print('onabort', e.type)
    s.addEventListener('abort', () => print('once'), { once: true })
    c.abort()
    c.abort('again')
    print(s.aborted, s.reason.name, s.reason.message, s.reason.code, s.reason instanceof DOMException, s.reason instanceof Error)
    try { s.throwIfAborted() } catch (e) { print('throwIfAborted', e === s.reason) }
  `,
    lines(
      'false undefined true [object AbortSignal]',
      'listener abort true true 2 true',
      'onabort abort',
      'once',
      'true AbortError This operation was aborted 20 true true',
      'throwIfAborted true',
    ),
  )
})

test('keeps a custom reason, and AbortSignal.abort() makes a signal that is already aborted', async () => {
  await sameAsNode(
    `
    const c = new AbortController()
    c.abort('custom')
    print(c.signal.reason)
    const a = AbortSignal.abort()
    print(a.aborted, a.reason.name)
    print(AbortSignal.abort(42).reason)
    try { new AbortSignal(); print('constructed') } catch (e) { print('new AbortSignal:', e.name) }
    new AbortController().signal.throwIfAborted()
    print('not aborted: no throw')
  `,
    lines('custom', 'true AbortError', '42', 'new AbortSignal: TypeError', 'not aborted: no throw'),
  )
})

test('AbortSignal.timeout() aborts with a TimeoutError after the delay', async () => {
  await sameAsNode(
    `
    const s = AbortSignal.timeout(5)
    print('before', s.aborted)
    s.addEventListener('abort', () => print('aborted', s.reason.name, s.reason.message, s.reason.code))
    // Node does not keep the process alive for the signal's own timer.
    setTimeout(() => print('after', s.aborted), 50)
  `,
    lines('before false', 'aborted TimeoutError The operation was aborted due to timeout 23', 'after true'),
  )
})

test('AbortSignal.any() follows the first source to abort, and is aborted at once if one already is', async () => {
  await sameAsNode(
    `
    const a = new AbortController(), b = new AbortController()
    const any = AbortSignal.any([a.signal, b.signal])
    any.addEventListener('abort', () => print('any aborted with', any.reason))
    b.signal.addEventListener('abort', () => print('b listener'))
    b.abort('second')
    a.abort('first')
    print(any.reason)
    const pre = AbortSignal.any([AbortSignal.abort('pre'), new AbortController().signal])
    print(pre.aborted, pre.reason)
    const c = new AbortController()
    const nested = AbortSignal.any([AbortSignal.any([c.signal])])
    c.abort('deep')
    print(nested.aborted, nested.reason)
    print(AbortSignal.any([]).aborted)
  `,
    lines('b listener', 'any aborted with second', 'second', 'true pre', 'true deep', 'false'),
  )
})

test('DOMException carries name, message and legacy code, and is an Error', async () => {
  await sameAsNode(
    `
    const d = new DOMException('aborted!', 'AbortError')
    print(d.name, d.message, d.code, d instanceof Error, Object.keys(d).length, String(d), Object.prototype.toString.call(d))
    print(DOMException.ABORT_ERR, d.ABORT_ERR, DOMException.DATA_CLONE_ERR, DOMException.QUOTA_EXCEEDED_ERR)
    const plain = new DOMException()
    print(JSON.stringify(plain.name), JSON.stringify(plain.message), plain.code, new DOMException('m', 'NotAKnownName').code)
    print(new DOMException('x', { name: 'DataCloneError', cause: 'why' }).code, new DOMException('x', { name: 'DataCloneError', cause: 'why' }).cause)
  `,
    lines('AbortError aborted! 20 true 0 AbortError: aborted! [object DOMException]', '20 20 25 22', '"Error" "" 0 0', '25 why'),
  )
})

test.run()
