// Node's coded errors (`err.code === 'ERR_OUT_OF_RANGE'`, String(err) naming the code),
// with the messages Node 20 writes, for the codes the node: modules throw.
import { web } from './natives.ts'

type ErrorClass = new (message?: string) => Error

export interface NodeError extends Error {
  code: string
}

export function nodeError(Base: ErrorClass, code: string, message: string): NodeError {
  const err = new Base(message) as NodeError
  Object.defineProperty(err, 'code', { value: code, enumerable: true, writable: true, configurable: true })
  Object.defineProperty(err, 'toString', {
    value() {
      return `${this.name} [${code}]: ${this.message}`
    },
    writable: true,
    configurable: true,
  })
  return err
}

const kTypes = ['string', 'function', 'number', 'object', 'Function', 'Object', 'boolean', 'bigint', 'symbol']
const classRegExp = /^([A-Z][a-z0-9]*)+$/

/** "Received ..." as Node's determineSpecificType writes it. */
export function received(value: unknown): string {
  if (value == null) return `Received ${value}`
  if (typeof value === 'function') return `Received function ${(value as { name?: string }).name || '<anonymous>'}`
  if (typeof value === 'object') {
    const name = (value as { constructor?: { name?: string } }).constructor?.name
    if (name) return `Received an instance of ${name}`
    return `Received ${web.inspect(value, { depth: -1 })}`
  }
  let shown = web.inspect(value)
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`
  return `Received type ${typeof value} (${shown})`
}

/** ERR_INVALID_ARG_TYPE, worded as Node 20 words it from type names ('string'), class names ('Buffer') and others. */
export function invalidArgType(name: string, expected: string | string[], actual: unknown): NodeError {
  let msg = 'The '
  if (name.endsWith(' argument')) msg += `${name} `
  else msg += `"${name}" ${name.includes('.') ? 'property' : 'argument'} `
  msg += 'must be '
  const types: string[] = []
  const instances: string[] = []
  const other: string[] = []
  for (const value of Array.isArray(expected) ? expected : [expected]) {
    if (kTypes.includes(value)) types.push(value.toLowerCase())
    else if (classRegExp.test(value)) instances.push(value)
    else other.push(value)
  }
  if (instances.length > 0) {
    const pos = types.indexOf('object')
    if (pos !== -1) {
      types.splice(pos, 1)
      instances.push('Object')
    }
  }
  if (types.length > 0) {
    if (types.length > 2) msg += `one of type ${types.slice(0, -1).join(', ')}, or ${types[types.length - 1]}`
    else if (types.length === 2) msg += `one of type ${types[0]} or ${types[1]}`
    else msg += `of type ${types[0]}`
    if (instances.length > 0 || other.length > 0) msg += ' or '
  }
  if (instances.length > 0) {
    if (instances.length > 2) msg += `an instance of ${instances.slice(0, -1).join(', ')}, or ${instances[instances.length - 1]}`
    else msg += `an instance of ${instances[0]}${instances.length === 2 ? ` or ${instances[1]}` : ''}`
    if (other.length > 0) msg += ' or '
  }
  if (other.length > 0) {
    if (other.length > 2) msg += `one of ${other.slice(0, -1).join(', ')}, or ${other[other.length - 1]}`
    else if (other.length === 2) msg += `one of ${other[0]} or ${other[1]}`
    else msg += `${other[0].toLowerCase() !== other[0] ? 'an ' : ''}${other[0]}`
  }
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', `${msg}. ${received(actual)}`)
}

function separated(digits: string): string {
  let out = ''
  let i = digits.length
  const start = digits[0] === '-' ? 1 : 0
  for (; i >= start + 4; i -= 3) out = `_${digits.slice(i - 3, i)}${out}`
  return `${digits.slice(0, i)}${out}`
}

export function outOfRange(name: string, range: string, value: unknown): NodeError {
  let shown: string
  if (Number.isInteger(value) && Math.abs(value as number) > 2 ** 32) shown = separated(String(value))
  else if (typeof value === 'bigint') {
    shown = String(value)
    if (value > 2n ** 32n || value < -(2n ** 32n)) shown = separated(shown)
    shown += 'n'
  } else shown = web.inspect(value)
  return nodeError(RangeError, 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`)
}

export function invalidArgValue(name: string, value: unknown, reason = 'is invalid', Base: ErrorClass = TypeError): NodeError {
  const kind = name.includes('.') ? 'property' : 'argument'
  return nodeError(Base, 'ERR_INVALID_ARG_VALUE', `The ${kind} '${name}' ${reason}. Received ${web.inspect(value)}`)
}

export function validateNumber(value: unknown, name: string, min?: number, max?: number): asserts value is number {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value)
  if (
    (min !== undefined && value < min) ||
    (max !== undefined && value > max) ||
    ((min !== undefined || max !== undefined) && Number.isNaN(value))
  )
    throw outOfRange(
      name,
      `${min !== undefined ? `>= ${min}` : ''}${min !== undefined && max !== undefined ? ' && ' : ''}${max !== undefined ? `<= ${max}` : ''}`,
      value,
    )
}

export function validateFunction(value: unknown, name: string): asserts value is (...args: unknown[]) => unknown {
  if (typeof value !== 'function') throw invalidArgType(name, 'function', value)
}

export function abortError(cause?: unknown): Error {
  const err = new Error('The operation was aborted') as NodeError
  err.name = 'AbortError'
  err.code = 'ABORT_ERR'
  if (cause !== undefined) (err as Error & { cause?: unknown }).cause = cause
  return err
}
