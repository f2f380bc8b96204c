// node:assert, with Node 20's AssertionError messages for the common cases. Where Node
// quotes the failing expression from the source file (assert.ok(x) with no message), the
// runtime has no source to read and shows the value instead.
import { deepEqual as isDeepEqual } from './internal/deep-equal.ts'
import { AssertionError } from './internal/assertion-error.ts'
import { invalidArgType, invalidArgValue } from './internal/errors.ts'
import { web } from './internal/natives.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */
type Message = string | Error | undefined

function fail(options: { actual?: unknown; expected?: unknown; message?: Message; operator: string; generated?: boolean }): never {
  if (options.message instanceof Error) throw options.message
  const err = new AssertionError(options as never)
  if (options.generated !== undefined) err.generatedMessage = options.generated
  throw err
}

function innerOk(fnName: string, argLen: number, value: unknown, message: Message, callee = 'assert.ok'): void {
  if (value) return
  let generated = false
  let text: Message = message
  if (argLen === 0) {
    generated = true
    text = `No value argument passed to \`assert.${fnName}()\``
  } else if (message == null) {
    generated = true
    text = `The expression evaluated to a falsy value:\n\n  ${callee}(${web.inspect(value)})\n`
  } else if (message instanceof Error) throw message
  const err = new AssertionError({ actual: value, expected: true, message: text as string, operator: '==' })
  err.generatedMessage = generated
  throw err
}

function ok(...args: unknown[]): void {
  innerOk('ok', args.length, args[0], args[1] as Message)
}

const assert = function assert(...args: unknown[]): void {
  innerOk('ok', args.length, args[0], args[1] as Message, 'assert')
} as any

function equal(actual: unknown, expected: unknown, message?: Message): void {
  // eslint-disable-next-line eqeqeq
  if (actual != expected && (!Number.isNaN(actual) || !Number.isNaN(expected))) fail({ actual, expected, message, operator: '==' })
}

function notEqual(actual: unknown, expected: unknown, message?: Message): void {
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (Number.isNaN(actual) && Number.isNaN(expected))) fail({ actual, expected, message, operator: '!=' })
}

function strictEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (!Object.is(actual, expected)) fail({ actual, expected, message, operator: 'strictEqual' })
}

function notStrictEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (Object.is(actual, expected)) fail({ actual, expected, message, operator: 'notStrictEqual' })
}

function deepEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (!isDeepEqual(actual, expected, false)) fail({ actual, expected, message, operator: 'deepEqual' })
}

function notDeepEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (isDeepEqual(actual, expected, false)) fail({ actual, expected, message, operator: 'notDeepEqual' })
}

function deepStrictEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (!isDeepEqual(actual, expected, true)) fail({ actual, expected, message, operator: 'deepStrictEqual' })
}

function notDeepStrictEqual(actual: unknown, expected: unknown, message?: Message): void {
  if (isDeepEqual(actual, expected, true)) fail({ actual, expected, message, operator: 'notDeepStrictEqual' })
}

function failAssert(message?: Message): never {
  if (message instanceof Error) throw message
  const err = new AssertionError({ message: message ?? 'Failed', operator: 'fail' })
  err.generatedMessage = message === undefined
  throw err
}

const NO_EXCEPTION = Symbol('no exception')

function checkError(actual: unknown, expected: unknown, message: Message, fnName: string): void {
  if (expected === undefined) return
  if (expected instanceof RegExp) {
    const str = String(actual)
    if (expected.test(str)) return
    fail({
      actual,
      expected,
      message: message ?? `The input did not match the regular expression ${web.inspect(expected)}. Input:\n\n${web.inspect(str)}\n`,
      operator: fnName,
      generated: message == null,
    })
  }
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && actual instanceof expected) return
    if (Error === expected || Error.isPrototypeOf(expected)) {
      let text = message
      if (text == null) {
        text = `The error is expected to be an instance of "${expected.name}". Received `
        if (actual instanceof Error) {
          const name = (actual.constructor as { name?: string } | undefined)?.name || actual.name
          text += expected.name === name ? 'an error with identical name but a different prototype.' : `"${name}"`
          if (actual.message) text += `\n\nError message:\n\n${actual.message}`
        } else text += `"${web.inspect(actual, { depth: -1 })}"`
      }
      fail({ actual, expected, message: text, operator: fnName, generated: message == null })
    }
    const res = Reflect.apply(expected, {}, [actual])
    if (res !== true) {
      if (message) fail({ actual, expected, message, operator: fnName })
      const name = expected.name ? `"${expected.name}" ` : ''
      fail({
        actual,
        expected,
        message: `The ${name}validation function is expected to return "true". Received ${web.inspect(res)}${actual instanceof Error ? `\n\nCaught error:\n\n${actual}` : ''}`,
        operator: fnName,
        generated: true,
      })
    }
    return
  }
  if (typeof expected === 'object' && expected !== null) {
    const keys = Object.keys(expected)
    if (expected instanceof Error) keys.push('name', 'message')
    else if (keys.length === 0) throw invalidArgValue('error', expected, 'may not be an empty object')
    for (const key of keys) {
      const want = (expected as any)[key]
      const got = (actual as any)?.[key]
      if (typeof got === 'string' && want instanceof RegExp && want.test(got)) continue
      if (!(key in (actual as object)) || !isDeepEqual(got, want, true)) {
        const a: Record<string, unknown> = {}
        const e: Record<string, unknown> = {}
        for (const k of keys) {
          if (k in (actual as object)) a[k] = (actual as any)[k]
          e[k] = (expected as any)[k]
        }
        fail({ actual: a, expected: e, message, operator: 'deepStrictEqual' })
      }
    }
    return
  }
  throw invalidArgType('expected', ['Function', 'RegExp'], expected)
}

function getActual(fn: unknown): unknown {
  if (typeof fn !== 'function') throw invalidArgType('fn', 'Function', fn)
  try {
    fn()
  } catch (e) {
    return e
  }
  return NO_EXCEPTION
}

async function waitActual(promiseFn: unknown): Promise<unknown> {
  let promise: unknown
  if (typeof promiseFn === 'function') {
    promise = promiseFn()
    if (!promise || typeof (promise as Promise<unknown>).then !== 'function') throw invalidArgType('promiseFn', 'Promise', promise)
  } else if (promiseFn && typeof (promiseFn as Promise<unknown>).then === 'function') promise = promiseFn
  else throw invalidArgType('promiseFn', ['Function', 'Promise'], promiseFn)
  try {
    await promise
  } catch (e) {
    return e
  }
  return NO_EXCEPTION
}

function expectsError(fnName: string, actual: unknown, error: unknown, message: Message): void {
  if (typeof error === 'string') {
    message = error
    error = undefined
  }
  if (actual === NO_EXCEPTION) {
    let details = ''
    if ((error as { name?: string })?.name) details += ` (${(error as { name: string }).name})`
    details += message ? `: ${message}` : '.'
    const what = fnName === 'rejects' ? 'rejection' : 'exception'
    fail({ actual: undefined, expected: error, operator: fnName, message: `Missing expected ${what}${details}` })
  }
  checkError(actual, error, message, fnName)
}

function expectsNoError(fnName: string, actual: unknown, error: unknown, message: Message): void {
  if (actual === NO_EXCEPTION) return
  if (typeof error === 'string') {
    message = error
    error = undefined
  }
  if (!error || (typeof error === 'function' && actual instanceof (error as any))) {
    const details = message ? `: ${message}` : '.'
    const what = fnName === 'doesNotReject' ? 'rejection' : 'exception'
    fail({
      actual,
      expected: error,
      operator: fnName,
      message: `Got unwanted ${what}${details}\nActual message: "${(actual as Error)?.message}"`,
    })
  }
  throw actual
}

function throws(fn: unknown, error?: unknown, message?: Message): void {
  expectsError('throws', getActual(fn), error, message)
}

async function rejects(promiseFn: unknown, error?: unknown, message?: Message): Promise<void> {
  expectsError('rejects', await waitActual(promiseFn), error, message)
}

function doesNotThrow(fn: unknown, error?: unknown, message?: Message): void {
  expectsNoError('doesNotThrow', getActual(fn), error, message)
}

async function doesNotReject(promiseFn: unknown, error?: unknown, message?: Message): Promise<void> {
  expectsNoError('doesNotReject', await waitActual(promiseFn), error, message)
}

function ifError(err: unknown): void {
  if (err === null || err === undefined) return
  let message = 'ifError got unwanted exception: '
  if (typeof err === 'object' && typeof (err as Error).message === 'string') {
    if ((err as Error).message.length === 0 && (err as Error).constructor) message += (err as Error).constructor.name
    else message += (err as Error).message
  } else message += web.inspect(err)
  throw new AssertionError({ actual: err, expected: null, operator: 'ifError', message })
}

function match(string: unknown, regexp: RegExp, message?: Message): void {
  if (!(regexp instanceof RegExp)) throw invalidArgType('regexp', 'RegExp', regexp)
  if (typeof string !== 'string' || !regexp.test(string)) {
    if (message instanceof Error) throw message
    fail({
      actual: string,
      expected: regexp,
      operator: 'match',
      generated: message == null,
      message:
        message ??
        (typeof string !== 'string'
          ? `The "string" argument must be of type string. Received type ${typeof string} (${web.inspect(string)})`
          : `The input did not match the regular expression ${web.inspect(regexp)}. Input:\n\n${web.inspect(string)}\n`),
    })
  }
}

function doesNotMatch(string: unknown, regexp: RegExp, message?: Message): void {
  if (!(regexp instanceof RegExp)) throw invalidArgType('regexp', 'RegExp', regexp)
  if (typeof string !== 'string' || regexp.test(string)) {
    if (message instanceof Error) throw message
    fail({
      actual: string,
      expected: regexp,
      operator: 'doesNotMatch',
      generated: message == null,
      message:
        message ??
        (typeof string !== 'string'
          ? `The "string" argument must be of type string. Received type ${typeof string} (${web.inspect(string)})`
          : `The input was expected to not match the regular expression ${web.inspect(regexp)}. Input:\n\n${web.inspect(string)}\n`),
    })
  }
}

Object.assign(assert, {
  ok,
  equal,
  notEqual,
  strictEqual,
  notStrictEqual,
  deepEqual,
  notDeepEqual,
  deepStrictEqual,
  notDeepStrictEqual,
  fail: failAssert,
  throws,
  rejects,
  doesNotThrow,
  doesNotReject,
  ifError,
  match,
  doesNotMatch,
  AssertionError,
})

/** assert/strict and assert.strict: the same functions, with equal and deepEqual strict. */
const strict = function strict(...args: unknown[]): void {
  innerOk('ok', args.length, args[0], args[1] as Message, 'assert')
} as any
Object.assign(strict, assert, {
  equal: strictEqual,
  notEqual: notStrictEqual,
  deepEqual: deepStrictEqual,
  notDeepEqual: notDeepStrictEqual,
})
assert.strict = strict
strict.strict = strict

export {
  AssertionError,
  deepEqual,
  deepStrictEqual,
  doesNotMatch,
  doesNotReject,
  doesNotThrow,
  equal,
  failAssert as fail,
  ifError,
  match,
  notDeepEqual,
  notDeepStrictEqual,
  notEqual,
  notStrictEqual,
  ok,
  rejects,
  strict,
  strictEqual,
  throws,
}
export default assert
