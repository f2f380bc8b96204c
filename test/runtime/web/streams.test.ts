import { test } from 'uvu'
import { lines, sameAsNode } from '../../support/same-as-node.ts'

test('a TransformStream passes written chunks to its readable side, in order, then closes', async () => {
  await sameAsNode(
    `
    const { readable, writable } = new TransformStream()
    const writer = writable.getWriter()
    ;(async () => {
      for (const s of ['a', 'b', 'c']) { await writer.write(new TextEncoder().encode(s)); await new Promise((r) => setTimeout(r, 1)) }
      await writer.close()
    })()
    ;(async () => {
      const reader = readable.getReader()
      let text = ''
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        text += new TextDecoder().decode(value)
      }
      print('read', text)
    })()
  `,
    lines('read abc'),
  )
})

test('ReadableStream supports async iteration, pipeThrough/pipeTo, tee and abort signals', async () => {
  await sameAsNode(
    `
    ;(async () => {
      const got = []
      for await (const v of new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close() } })) got.push(v)
      print('iterate', got.join(','))
      const upper = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()) } })
      const out = []
      await new ReadableStream({ start(c) { c.enqueue('x'); c.enqueue('y'); c.close() } })
        .pipeThrough(upper)
        .pipeTo(new WritableStream({ write(chunk) { out.push(chunk) } }))
      print('pipe', out.join(''))
      const [b1, b2] = new ReadableStream({ start(c) { c.enqueue('t'); c.close() } }).tee()
      print('tee', (await b1.getReader().read()).value, (await b2.getReader().read()).value)
      const ac = new AbortController()
      const endless = new ReadableStream({ pull(c) { return new Promise((r) => setTimeout(() => { try { c.enqueue('z') } catch {} r() }, 2)) } })
      const piping = endless.pipeTo(new WritableStream(), { signal: ac.signal })
      setTimeout(() => ac.abort(), 10)
      try { await piping } catch (e) { print('pipe aborted:', e.name) }
      print(new TransformStream().readable instanceof ReadableStream, typeof ReadableStreamDefaultReader, typeof CountQueuingStrategy)
    })()
  `,
    lines('iterate 1,2', 'pipe XY', 'tee t t', 'pipe aborted: AbortError', 'true function function'),
  )
})

test('TextEncoderStream joins a surrogate pair split across chunks; TextDecoderStream decodes', async () => {
  await sameAsNode(
    `
    ;(async () => {
      const enc = new TextEncoderStream()
      const w = enc.writable.getWriter()
      w.write('h\\ud83d'); w.write('\\ude00i'); w.close()
      const bytes = []
      for await (const chunk of enc.readable) bytes.push(...chunk)
      print(enc.encoding, bytes.join(','))
      const dec = new TextDecoderStream()
      const dw = dec.writable.getWriter()
      dw.write(new Uint8Array([0xf0, 0x9f])); dw.write(new Uint8Array([0x98, 0x80, 0x21])); dw.close()
      let text = ''
      for await (const chunk of dec.readable) text += chunk
      print(dec.encoding, JSON.stringify(text))
    })()
  `,
    lines('utf-8 104,240,159,152,128,105', 'utf-8 "😀!"'),
  )
})

test("Hono's streamSSE, streamText and stream answer with their chunks through a TransformStream", async () => {
  await sameAsNode(
    `
    import { Hono } from 'hono'
    import { stream, streamSSE, streamText } from 'hono/streaming'
    const app = new Hono()
    app.get('/sse', (c) => streamSSE(c, async (s) => {
      for (let i = 0; i < 3; i++) { await s.writeSSE({ event: 'tick', id: String(i), data: 'n=' + i + '\\nsecond line' }); await s.sleep(2) }
    }))
    app.get('/text', (c) => streamText(c, async (s) => { await s.write('hello '); await s.sleep(1); await s.writeln('world'); await s.write('done') }))
    app.get('/bytes', (c) => stream(c, async (s) => {
      await s.write(new Uint8Array([104, 105]))
      await s.pipe(new ReadableStream({ start(ctl) { ctl.enqueue(new TextEncoder().encode('!piped')); ctl.close() } }))
    }))
    app.get('/error', (c) => streamText(c, async () => { throw new Error('mid-stream') }, async (err, s) => { await s.write('handled: ' + err.message) }))
    async function read(path) {
      const res = await app.request(path)
      const reader = res.body.getReader()
      const decoder = new TextDecoder()
      let text = ''
      for (;;) { const { done, value } = await reader.read(); if (done) break; text += decoder.decode(value, { stream: true }) }
      return { res, text }
    }
    ;(async () => {
      const sse = await read('/sse')
      print('sse', sse.res.status, sse.res.headers.get('content-type'), sse.res.headers.get('cache-control'))
      print(JSON.stringify(sse.text))
      const text = await read('/text')
      print('text', text.res.headers.get('content-type'), JSON.stringify(text.text))
      print('bytes', JSON.stringify((await read('/bytes')).text))
      print('error', JSON.stringify((await read('/error')).text))
    })()
  `,
    lines(
      'sse 200 text/event-stream no-cache',
      JSON.stringify(
        'event: tick\ndata: n=0\ndata: second line\nid: 0\n\nevent: tick\ndata: n=1\ndata: second line\nid: 1\n\nevent: tick\ndata: n=2\ndata: second line\nid: 2\n\n',
      ),
      'text text/plain; charset=UTF-8 "hello world\\ndone"',
      'bytes "hi!piped"',
      'error "handled: mid-stream"',
    ),
  )
})

test.run()
