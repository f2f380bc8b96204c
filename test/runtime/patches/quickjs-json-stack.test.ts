// runtime/patches/quickjs-json-stack.patch: JSON.stringify keeps the objects it is writing in
// a C array to find a cycle. It must find every cycle Node finds (direct, through arrays, at
// any depth, past the 16 levels kept on the C stack, through toJSON and replacers), and none
// where an object only appears twice side by side, and be clean for the next call after one.
import { suite } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

const test = suite('runtime/patches/quickjs-json-stack.patch: cycles as Node finds them')

test('cycles at every depth, and an object twice that is no cycle', async () => {
  await sameAsNode(
    `
    const attempt = (v: unknown, ...rest: any[]) => { try { return JSON.stringify(v, ...rest) } catch (e) { return (e as Error).name } }
    const self: any = { a: 1 }
    self.self = self
    const list: any[] = [1]
    list.push({ back: list })
    const shared = { s: 1 }
    print(attempt(self), attempt(list), attempt({ x: shared, y: [shared, shared] }))
    // Nesting deeper than the 16 levels kept on the C stack, with and without a cycle at the bottom.
    const chain = (n: number) => { const top: any = {}; let at = top; for (let i = 0; i < n; i++) at = at.next = i % 2 ? {} : [{}][0]; return { top, bottom: at } }
    for (const n of [15, 16, 17, 40, 300]) {
      const { top, bottom } = chain(n)
      const ok = attempt(top)
      bottom.loop = top
      const looped = attempt(top)
      bottom.loop = bottom
      print(n, ok.length, looped, attempt(top))
    }
    const arrays: any[] = []
    let a = arrays
    for (let i = 0; i < 30; i++) { const next: any[] = []; a.push(i, next); a = next }
    print(attempt(arrays).length)
    a.push(arrays)
    print(attempt(arrays))
    `,
    lines(
      'TypeError TypeError {"x":{"s":1},"y":[{"s":1},{"s":1}]}',
      '15 137 TypeError TypeError',
      '16 146 TypeError TypeError',
      '17 155 TypeError TypeError',
      '40 362 TypeError TypeError',
      '300 2702 TypeError TypeError',
      '142',
      'TypeError',
    ),
  )
})

test('through toJSON, replacers and indents; the next call after a cycle starts clean', async () => {
  await sameAsNode(
    `
    const attempt = (v: unknown, ...rest: any[]) => { try { return JSON.stringify(v, ...rest) } catch (e) { return (e as Error).name + ': ' + ((e as Error).message.includes('circular') || (e as Error).message.includes('cyclic') ? 'cycle' : (e as Error).message) } }
    const parent: any = { name: 'p' }
    parent.child = { toJSON: () => parent }
    print(attempt(parent))
    const root: any = { k: { v: 1 } }
    print(attempt(root, (key, value) => (key === 'v' ? root : value)))
    print(attempt(root, (key, value) => (key === 'v' ? { copy: 1 } : value), 2))
    const deep: any = { a: { b: { c: {} } } }
    deep.a.b.c.up = deep.a
    print(attempt(deep, null, '\\t'))
    print(attempt({ after: 'the cycle', list: [1, [2, [3]]] }), attempt([[[[]]]]), attempt({}))
    `,
    lines(
      'TypeError: cycle',
      'TypeError: cycle',
      '{\n  "k": {\n    "v": {\n      "copy": 1\n    }\n  }\n}',
      'TypeError: cycle',
      '{"after":"the cycle","list":[1,[2,[3]]]} [[[[]]]] {}',
    ),
  )
})

test.run()
