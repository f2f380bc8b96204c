import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('lower-cases names, joins repeated values with ", " and iterates sorted by name', async () => {
  await sameAsNode(
    `
    const h = new Headers()
    h.append('X-B', '1')
    h.append('x-a', '2')
    h.append('X-A', '3')
    print(h.get('X-A'), h.has('x-b'), h.has('x-c'), h.get('x-c'))
    print(JSON.stringify([...h]))
    print(JSON.stringify([...h.keys()]), JSON.stringify([...h.values()]))
    print(Object.prototype.toString.call(h), Object.prototype.toString.call(h.entries()))
  `,
    lines(
      '2, 3 true false null',
      '[["x-a","2, 3"],["x-b","1"]]',
      '["x-a","x-b"] ["2, 3","1"]',
      '[object Headers] [object Headers Iterator]',
    ),
  )
})

test('keeps every set-cookie value apart, in iteration and getSetCookie()', async () => {
  await sameAsNode(
    `
    const h = new Headers([['Set-Cookie', 'a=1'], ['content-type', 'text/plain'], ['set-cookie', 'b=2']])
    print(JSON.stringify([...h]))
    print(JSON.stringify(h.getSetCookie()), h.get('set-cookie'))
    print(JSON.stringify(new Headers().getSetCookie()))
  `,
    lines('[["content-type","text/plain"],["set-cookie","a=1"],["set-cookie","b=2"]]', '["a=1","b=2"] a=1, b=2', '[]'),
  )
})

test('trims HTTP whitespace from values and throws TypeError for invalid names and values', async () => {
  await sameAsNode(
    `
    const h = new Headers({ a: ' \\t x y \\t ' })
    print(JSON.stringify(h.get('a')))
    for (const [name, value] of [['a b', 'x'], ['', 'x'], ['a:', 'x'], ['\u00e9', 'x'], ['a', 'x\\ny'], ['a', 'x\\ry'], ['a', 'x\\0'], ['a', '\u20ac']]) {
      try { new Headers([[name, value]]); print('accepted', JSON.stringify(name)) } catch (e) { print(e.constructor.name) }
    }
    try { h.get('bad name') } catch (e) { print('get', e.constructor.name) }
    print(new Headers({ a: '\u00e9' }).get('a') === '\u00e9')
  `,
    lines('"x y"', ...Array(8).fill('TypeError'), 'get TypeError', 'true'),
  )
})

test('set replaces every value of a name, delete removes them all', async () => {
  await sameAsNode(
    `
    const h = new Headers([['a', '1'], ['b', '2'], ['a', '3']])
    h.set('A', '9')
    print(JSON.stringify([...h]))
    h.append('a', '10')
    h.delete('A')
    print(JSON.stringify([...h]), h.has('a'))
    h.set('c', 'new')
    print(JSON.stringify([...h]))
  `,
    lines('[["a","9"],["b","2"]]', '[["b","2"]] false', '[["b","2"],["c","new"]]'),
  )
})

test('accepts a record, a sequence of pairs or another Headers, and rejects malformed pairs', async () => {
  await sameAsNode(
    `
    print(JSON.stringify([...new Headers({ B: '1', a: 2 })]))
    print(JSON.stringify([...new Headers([['x', '1'], ['x', '2']])]))
    const src = new Headers({ q: '1' })
    const copy = new Headers(src)
    copy.set('q', '2')
    print(src.get('q'), copy.get('q'))
    print(JSON.stringify([...new Headers(new Map([['m', 'v']]))]))
    for (const bad of [[['a']], [['a', 'b', 'c']], 'str', 5]) {
      try { new Headers(bad as any); print('accepted') } catch (e) { print(e.constructor.name) }
    }
  `,
    lines('[["a","2"],["b","1"]]', '[["x","1, 2"]]', '1 2', '[["m","v"]]', 'TypeError', 'TypeError', 'TypeError', 'TypeError'),
  )
})

test('forEach and iterators see headers changed during iteration', async () => {
  await sameAsNode(
    `
    const h = new Headers({ b: '1', d: '2' })
    const seen: string[] = []
    h.forEach((value, name, self) => {
      seen.push(name + '=' + value)
      if (name === 'b') self.append('c', '3')
    })
    print(seen.join(' '))
    const it = h.keys()
    print(it.next().value)
    h.append('a', '0')
    print(it.next().value, it.next().value, it.next().value, it.next().done)
  `,
    lines('b=1 c=3 d=2', 'b', 'b c d true'),
  )
})

test('headers of Response.error() and Response.redirect() cannot be changed', async () => {
  await sameAsNode(
    `
    for (const res of [Response.error(), Response.redirect('http://example.com/x', 301)]) {
      try { res.headers.set('a', 'b'); print('changed') } catch (e) { print(e.constructor.name) }
      try { res.headers.append('a', 'b'); print('changed') } catch (e) { print(e.constructor.name) }
      try { res.headers.delete('location'); print('changed') } catch (e) { print(e.constructor.name) }
    }
    print(Response.redirect('http://example.com/x', 301).headers.get('location'))
  `,
    lines(...Array(6).fill('TypeError'), 'http://example.com/x'),
  )
})

test.run()
