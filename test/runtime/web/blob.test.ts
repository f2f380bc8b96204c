import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('joins strings, bytes and blobs, and reads them back as text, bytes or a stream', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const inner = new Blob(['in'])
      const b = new Blob(['h\u00e9', new Uint8Array([33]), new Uint16Array([0x4241]).buffer, inner, 5 as any], { type: 'Text/Plain' })
      print(b.size, b.type, await b.text())
      print((await b.bytes()).join(), new Uint8Array(await b.arrayBuffer()).length)
      const reader = b.stream().getReader()
      let total = 0
      let allBytes = true
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        allBytes &&= value instanceof Uint8Array
        total += value.length
      }
      print(allBytes, total)
      print(new Blob().size, JSON.stringify(new Blob([], { type: 'a\u00e9' }).type), Object.prototype.toString.call(b))
      try { new Blob('not a sequence' as any); print('accepted') } catch (e) { print(e.constructor.name) }
    }
    main()
  `,
    lines('9 text/plain h\u00e9!ABin5', '104,195,169,33,65,66,105,110,53 9', 'true 9', '0 "" [object Blob]', 'TypeError'),
  )
})

test('slice() takes relative bounds and an optional type', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const b = new Blob(['0123456789'])
      print(await b.slice(2, 5).text(), await b.slice(-3).text(), await b.slice(5, 2).text() === '', await b.slice(0, -8, 'X/Y').text(), b.slice(0, 1, 'X/Y').type)
      print(b.slice(100).size, b.slice(-100, 2).size)
    }
    main()
  `,
    lines('234 789 true 01 x/y', '0 2'),
  )
})

test('copies the bytes it is given, so later changes do not show', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const bytes = new Uint8Array([97, 98])
      const b = new Blob([bytes])
      bytes[0] = 122
      print(await b.text())
    }
    main()
  `,
    lines('ab'),
  )
})

test('File has a name, a lastModified time and Blob behaviour', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const f = new File(['content'], 'a.txt', { type: 'text/plain', lastModified: 42 })
      print(f.name, f.lastModified, f.size, f.type, f instanceof Blob, Object.prototype.toString.call(f), await f.text())
      const now = new File([], 'n')
      print(typeof now.lastModified, Math.abs(now.lastModified - Date.now()) < 5000)
      try { new (File as any)(['x']); print('accepted') } catch (e) { print(e.constructor.name) }
    }
    main()
  `,
    lines('a.txt 42 7 text/plain true [object File] content', 'number true', 'TypeError'),
  )
})

test.run()
