import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { matchesNode } from '../../support/same-as-node.ts'

const TRY = `const msg = (f: () => unknown) => { try { f(); print('passed') } catch (e: any) { print(e.name, e.code, e.generatedMessage, JSON.stringify(e.message)) } }\n`

test("AssertionError messages are Node 20's for the common cases", async () => {
  const out = await matchesNode(
    TRY +
      `
    import assert from 'node:assert'
    msg(() => assert.strictEqual(1, 2))
    msg(() => assert.strictEqual('hello world', 'hello there'))
    msg(() => assert.strictEqual({ a: 1 }, { a: 1 }))
    msg(() => assert.strictEqual(1, 2, 'custom message'))
    msg(() => assert.deepStrictEqual({ a: 1 }, { a: 2 }, 'custom message'))
    msg(() => assert.equal(1, 2, 'custom message'))
    msg(() => assert.notStrictEqual(1, 1))
    msg(() => assert.deepStrictEqual({ a: 1, b: [1, 2] }, { a: 2, b: [1, 2] }))
    msg(() => assert.deepStrictEqual([1, 2, 3], [1, 2, 4]))
    msg(() => assert.deepStrictEqual({ a: 1 }, { a: 1, b: 2 }))
    msg(() => assert.deepStrictEqual({ a: 1 }, { a: 1 }))
    msg(() => assert.notDeepStrictEqual({ a: 1 }, { a: 1 }))
    msg(() => assert.deepEqual({ a: 1 }, { a: 2 }))
    msg(() => assert.deepEqual({ a: 1 }, { a: '1' }))
    msg(() => assert.notDeepEqual({ a: 1 }, { a: 1 }))
    msg(() => assert.equal(1, 2))
    msg(() => assert.notEqual(1, '1'))
    msg(() => assert.throws(() => {}))
    msg(() => assert.throws(() => {}, TypeError, 'should throw'))
    msg(() => assert.throws(() => { throw new TypeError('bad') }, TypeError))
    msg(() => assert.throws(() => { throw new TypeError('bad') }, { name: 'TypeError', message: 'bad' }))
    msg(() => assert.throws(() => { throw new TypeError('bad') }, /good/))
    msg(() => assert.throws(() => { throw new TypeError('bad') }, RangeError))
    msg(() => assert.doesNotThrow(() => { throw new Error('oops') }))
    msg(() => assert.match('xyz', /abc/))
    msg(() => assert.doesNotMatch('abc', /b/))
    msg(() => assert.fail())
    msg(() => assert.fail('boom'))
    msg(() => assert.ifError(new Error('e1')))
    msg(() => assert.ifError(null))
    msg(() => (assert as any).ok())
    msg(() => assert.strict.equal(1, '1' as any))
    msg(() => require('assert').strict.deepEqual([1], ['1']))
    const err = (() => { try { assert.strictEqual(1, 2) } catch (e) { return e as any } })()
    print(err instanceof assert.AssertionError, err instanceof Error, String(err).split('\\n')[0], err.actual, err.expected, err.operator, Object.keys(err).join())
    ;(async () => {
      await assert.rejects(Promise.reject(new Error('r')), /r/)
      try { await assert.rejects(Promise.resolve()) } catch (e: any) { print(JSON.stringify(e.message)) }
      try { await assert.doesNotReject(Promise.reject(new Error('x'))) } catch (e: any) { print(JSON.stringify(e.message)) }
    })()
  `,
  )
  assert.match(out, 'Expected values to be strictly equal:')
})

test('assert/strict is assert.strict', async () => {
  await matchesNode(
    TRY +
      `
    import strict from 'node:assert/strict'
    import assert from 'assert'
    print(strict === assert.strict, strict.equal === assert.strictEqual)
    msg(() => strict.deepEqual({ a: [1] }, { a: ['1'] }))
  `,
  )
})

test.run()
