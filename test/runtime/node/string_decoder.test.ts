import { test } from 'uvu'
import { matchesNode } from '../../support/same-as-node.ts'

test('StringDecoder keeps characters split across chunks whole', async () => {
  await matchesNode(`
    import { StringDecoder } from 'node:string_decoder'
    const bytes = Buffer.from('a€😀é')
    for (const enc of ['utf8', 'utf16le', 'base64', 'hex', 'latin1'] as const) {
      const d = new StringDecoder(enc)
      const src = enc === 'utf8' ? bytes : Buffer.from('a€😀é', enc === 'utf16le' ? 'utf16le' : 'utf8')
      const parts: string[] = []
      for (let i = 0; i < src.length; i++) parts.push(d.write(src.subarray(i, i + 1)))
      parts.push(d.end())
      print(enc, JSON.stringify(parts.join('|')))
    }
    const d = new StringDecoder('utf8')
    print(JSON.stringify(d.write(Buffer.from([0xe2, 0x82]))), JSON.stringify(d.end()), d.encoding)
    try { new StringDecoder('nope' as any) } catch (e: any) { print(e.message) }
  `)
})

test.run()
