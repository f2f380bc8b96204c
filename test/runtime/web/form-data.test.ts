import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('keeps entries in order with append, set, delete, get, getAll and has', async () => {
  await sameAsNode(
    `
    const f = new FormData()
    f.append('a', '1')
    f.append('b', '2')
    f.append('a', '3')
    print(f.get('a'), JSON.stringify(f.getAll('a')), f.has('b'), f.get('zz'))
    f.set('a', '9')
    print(JSON.stringify([...f]))
    f.delete('b')
    print(JSON.stringify([...f.keys()]), JSON.stringify([...f.values()]))
    const seen: string[] = []
    f.forEach((v, k) => seen.push(k + '=' + v))
    print(seen.join(), Object.prototype.toString.call(f))
  `,
    lines('1 ["1","3"] true null', '[["a","9"],["b","2"]]', '["a"] ["9"]', 'a=9 [object FormData]'),
  )
})

test('stores a Blob as a File named "blob" or by the given filename', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const f = new FormData()
      f.append('plain', new Blob(['x'], { type: 'text/x' }))
      f.append('named', new Blob(['y']), 'y.bin')
      f.append('file', new File(['z'], 'orig.txt'), 'renamed.txt')
      for (const [k, v] of f) {
        const file = v as File
        print(k, file instanceof File, file.name, JSON.stringify(file.type), await file.text())
      }
      try { f.append('s', 'str', 'name' as any); print('accepted') } catch (e) { print(e.constructor.name) }
      try { (f as any).append('only-name'); print('accepted') } catch (e) { print(e.constructor.name) }
      print(String(f.get('x') ?? 'none'), new FormData().get('a'))
      f.append('n', 5 as any)
      print(typeof f.get('n'), f.get('n'))
    }
    main()
  `,
    lines(
      'plain true blob "text/x" x',
      'named true y.bin "" y',
      'file true renamed.txt "" z',
      'TypeError',
      'TypeError',
      'none null',
      'string 5',
    ),
  )
})

test('encodes as multipart/form-data that parses back to the same entries', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const f = new FormData()
      f.append('text', 'line1\\nline2')
      f.append('quote"d\\r\\nname', 'v')
      f.append('file', new File([new Uint8Array([0, 255, 13, 10, 45, 45])], 'bin\u00e9.dat', { type: 'application/x-bin' }))
      f.append('empty', '')
      const res = new Response(f)
      const type = res.headers.get('content-type')!
      const raw = await res.clone().text()
      const boundary = type.split('boundary=')[1]
      print(type.startsWith('multipart/form-data; boundary='), raw.startsWith('--' + boundary + '\\r\\n'), raw.endsWith('--' + boundary + '--\\r\\n'))
      print(raw.includes('name="quote%22d%0D%0Aname"'), raw.includes('line1\\r\\nline2'), raw.includes('filename="bin\u00e9.dat"\\r\\nContent-Type: application/x-bin'))
      const back = await res.formData()
      const file = back.get('file') as File
      print(JSON.stringify(back.get('text')), back.has('quote"d\\r\\nname'), JSON.stringify(back.get('empty')), file.name, file.type, (await file.bytes()).join())
    }
    main()
  `,
    lines('true true true', 'true true true', '"line1\\r\\nline2" true "" bin\u00e9.dat application/x-bin 0,255,13,10,45,45'),
  )
})

test('parses multipart bodies from other clients, and rejects malformed ones with TypeError', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const body = '--XX\\r\\nContent-Disposition: form-data; name="a"\\r\\n\\r\\nhello\\r\\n' +
        '--XX\\r\\nContent-Disposition: form-data; name="f"; filename="x.txt"\\r\\n\\r\\nfilebody\\r\\n' +
        '--XX\\r\\ncontent-disposition: form-data; name="g"; filename=""\\r\\nContent-Type: image/PNG\\r\\n\\r\\nbin\\r\\n' +
        '--XX\\r\\nContent-Disposition: form-data; name="h\u00e9"\\r\\n\\r\\nv\u00e9\\r\\n--XX--\\r\\n'
      const f = await new Response(body, { headers: { 'content-type': 'multipart/form-data; boundary="XX"' } }).formData()
      for (const [k, v] of f) print(k, typeof v === 'string' ? v : [v.name, v.type, v.size, await v.text()].join('|'))
      const bad = ['garbage', 'pre\\r\\n--XX\\r\\nContent-Disposition: form-data; name="a"\\r\\n\\r\\nx\\r\\n--XX--', '--XX\\r\\nContent-Disposition: form-data\\r\\n\\r\\nx\\r\\n--XX--', '--XX\\r\\nContent-Disposition: form-data; name="a"\\r\\n\\r\\nunterminated']
      for (const b of bad) {
        try { await new Response(b, { headers: { 'content-type': 'multipart/form-data; boundary=XX' } }).formData(); print('parsed') } catch (e) { print(e.constructor.name) }
      }
      try { await new Response('x', { headers: { 'content-type': 'multipart/form-data' } }).formData(); print('parsed') } catch (e) { print(e.constructor.name) }
    }
    main()
  `,
    lines(
      'a hello',
      'f x.txt|text/plain|8|filebody',
      'g |image/png|3|bin',
      'h\u00e9 v\u00e9',
      'TypeError',
      'TypeError',
      'TypeError',
      'TypeError',
      'TypeError',
    ),
  )
})

test('parses application/x-www-form-urlencoded like URLSearchParams', async () => {
  await sameAsNode(
    `
    const main = async () => {
      const f = await new Response('a=1&b=%zz+x&c&=d&e=%C3%A9&&f=%FF&g=a=b&h+i=%2B', { headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' } }).formData()
      print(JSON.stringify([...f]))
    }
    main()
  `,
    lines('[["a","1"],["b","%zz x"],["c",""],["","d"],["e","é"],["f","\ufffd"],["g","a=b"],["h i","+"]]'),
  )
})

test.run()
