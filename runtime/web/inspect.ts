// A value formatter that prints what Node's util.inspect prints for the values
// servers log: primitives, plain and class objects, arrays (holes, extra keys,
// grouping of long ones into columns), typed arrays, ArrayBuffer, Map, Set, Date,
// RegExp, functions and classes, boxed primitives, Errors (stack, cause, extra
// keys), circular references, getters, and the nodejs.util.inspect.custom hook,
// with Node's depth (2), line width (80) and "compact: 3" layout rules.
// Not covered: colors, Proxy details, showHidden beyond what %o needs, and promise state (QuickJS
// cannot read it synchronously, so a Promise prints as `Promise { <unknown> }`).
// Function sources are not kept in bytecode, so a class is told from a function
// by its read-only `prototype`.
import { getPrefix, hasOwn, type Context } from './inspect-context.ts'
import { formatArray, formatArrayBuffer, formatMap, formatSet, formatTypedArray } from './inspect-entries.ts'
import { formatError } from './inspect-error.ts'
import { kArrayExtrasType, kArrayType, kObjectType, reduceToSingleString } from './inspect-layout.ts'
import { formatPrimitive, strEscape } from './inspect-primitives.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface InspectOptions {
  depth?: number
  /** Also list non-enumerable own properties, in brackets (what %o prints). */
  showHidden?: boolean
  breakLength?: number
  maxArrayLength?: number
}

export const customInspect = Symbol.for('nodejs.util.inspect.custom')
const toTag = (v: unknown): string => Object.prototype.toString.call(v).slice(8, -1)
const getter = (proto: object, key: string): ((this: unknown) => unknown) => Object.getOwnPropertyDescriptor(proto, key)!.get!
// Object.prototype.toString reports Symbol.toStringTag, which any object may set:
// confirm a kind with a method that throws on anything else before relying on it.
const brands: Record<string, (this: unknown) => unknown> = {
  Map: getter(Map.prototype, 'size'),
  Set: getter(Set.prototype, 'size'),
  Date: Date.prototype.getTime,
  ArrayBuffer: getter(ArrayBuffer.prototype, 'byteLength'),
  DataView: getter(DataView.prototype, 'byteLength'),
  Number: Number.prototype.valueOf,
  String: String.prototype.valueOf,
  Boolean: Boolean.prototype.valueOf,
  Symbol: Symbol.prototype.valueOf,
}
if (typeof BigInt === 'function') brands.BigInt = BigInt.prototype.valueOf

function kindOf(value: object): string {
  const kind = toTag(value)
  const brand = brands[kind]
  if (brand === undefined) return kind
  try {
    brand.call(value)
    return kind
  } catch {
    return 'Object'
  }
}
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!
const keyIdentifier = /^[a-zA-Z_][a-zA-Z_0-9]*$/
const arrayIndex = /^(0|[1-9][0-9]*)$/

export function inspect(value: unknown, options?: InspectOptions): string {
  const ctx: Context = {
    depth: options?.depth ?? 2,
    showHidden: !!options?.showHidden,
    breakLength: options?.breakLength ?? 80,
    maxArrayLength: options?.maxArrayLength ?? 100,
    indentationLvl: 0,
    currentDepth: 0,
    seen: [],
    formatValue,
    formatProperty,
  }
  return formatValue(ctx, value, 0)
}

function formatValue(ctx: Context, value: any, recurseTimes: number): string {
  if (value === null) return 'null'
  if (typeof value !== 'object' && typeof value !== 'function') return formatPrimitive(ctx, value)
  const custom = value[customInspect]
  if (typeof custom === 'function' && !(value.constructor && value.constructor.prototype === value)) {
    const ret = custom.call(value, ctx.depth - recurseTimes, { depth: ctx.depth }, inspect)
    if (ret !== value) {
      if (typeof ret !== 'string') return formatValue(ctx, ret, recurseTimes)
      return ret.replace(/\n/g, `\n${' '.repeat(ctx.indentationLvl)}`)
    }
  }
  if (ctx.seen.indexOf(value) !== -1) {
    ctx.circular ??= new Map()
    let index = ctx.circular.get(value)
    if (index === undefined) ctx.circular.set(value, (index = ctx.circular.size + 1))
    return `[Circular *${index}]`
  }
  return formatRaw(ctx, value, recurseTimes)
}

function constructorName(obj: any): string | null {
  for (let o = obj; o !== null && o !== undefined; o = Object.getPrototypeOf(o)) {
    const d = Object.getOwnPropertyDescriptor(o, 'constructor')
    if (d && typeof d.value === 'function' && d.value.name !== '' && isInstance(obj, d.value)) return String(d.value.name)
  }
  return null
}

function isInstance(obj: unknown, ctor: any): boolean {
  try {
    return obj instanceof ctor
  } catch {
    return false
  }
}

function ctxStyle(value: unknown, constructor: string | null, tag: string): string {
  let fallback = ''
  if (constructor === null) {
    fallback = toTag(value)
    if (fallback === tag) fallback = 'Object'
  }
  return getPrefix(constructor, tag, fallback)
}

function ownKeys(ctx: Context, value: object, skipIndices: boolean): PropertyKey[] {
  const names = ctx.showHidden ? Object.getOwnPropertyNames(value) : Object.keys(value)
  const keys: PropertyKey[] = skipIndices ? names.filter((k) => !arrayIndex.test(k) || Number(k) >= 4294967295) : names
  for (const s of Object.getOwnPropertySymbols(value)) {
    if (ctx.showHidden || Object.prototype.propertyIsEnumerable.call(value, s)) keys.push(s)
  }
  return keys
}

function functionBase(value: any, constructor: string | null, tag: string): string {
  const proto = Object.getOwnPropertyDescriptor(value, 'prototype')
  const builtin = (globalThis as any)[value.name] === value
  if (proto && !proto.writable && !builtin) {
    let base = `class ${(hasOwn(value, 'name') && value.name) || '(anonymous)'}`
    if (constructor !== 'Function' && constructor !== null) base += ` [${constructor}]`
    if (tag !== '' && constructor !== tag) base += ` [${tag}]`
    const superName = constructor !== null && Object.getPrototypeOf(value).name
    if (superName) base += ` extends ${superName}`
    return `[${base}]`
  }
  const type = toTag(value).replace(/Function$/, '') + 'Function'
  let base = `[${type}`
  if (constructor === null) base += ' (null prototype)'
  base += value.name === '' ? ' (anonymous)' : `: ${value.name}`
  base += ']'
  if (constructor !== type && constructor !== null) base += ` ${constructor}`
  if (tag !== '' && constructor !== tag) base += ` [${tag}]`
  return base
}

type Formatter = (ctx: Context, value: any, recurseTimes: number) => string[]
const noEntries: Formatter = () => []

function formatRaw(ctx: Context, value: any, recurseTimes: number): string {
  const constructor = constructorName(value)
  let tag = value[Symbol.toStringTag]
  if (typeof tag !== 'string' || (tag !== '' && Object.prototype.propertyIsEnumerable.call(value, Symbol.toStringTag))) tag = ''
  const kind = kindOf(value)
  const typed = ArrayBuffer.isView(value) ? typedArrayTag.call(value) : undefined
  let base = ''
  let formatter: Formatter = noEntries
  let braces: [string, string] = ['{', '}']
  let extrasType = kObjectType
  let keys: PropertyKey[]

  if (Array.isArray(value)) {
    const prefix = constructor !== 'Array' || tag !== '' ? getPrefix(constructor, tag, 'Array', `(${value.length})`) : ''
    keys = ownKeys(ctx, value, true)
    braces = [`${prefix}[`, ']']
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`
    extrasType = kArrayExtrasType
    formatter = formatArray
  } else if (kind === 'Set' || kind === 'Map') {
    const prefix = getPrefix(constructor, tag, kind, `(${value.size})`)
    keys = ownKeys(ctx, value, false)
    formatter = kind === 'Set' ? formatSet : formatMap
    if (value.size === 0 && keys.length === 0) return `${prefix}{}`
    braces = [`${prefix}{`, '}']
  } else if (typed !== undefined) {
    keys = ownKeys(ctx, value, true)
    braces = [`${getPrefix(constructor, tag, typed, `(${value.length})`)}[`, ']']
    if (value.length === 0 && keys.length === 0) return `${braces[0]}]`
    formatter = formatTypedArray
    extrasType = kArrayExtrasType
  } else {
    keys = ownKeys(ctx, value, false)
    if (constructor === 'Object' && typeof value !== 'function' && (kind === 'Object' || kind === 'Arguments')) {
      if (kind === 'Arguments') braces[0] = '[Arguments] {'
      else if (tag !== '') braces[0] = `${getPrefix(constructor, tag, 'Object')}{`
      if (keys.length === 0) return `${braces[0]}}`
    } else if (typeof value === 'function') {
      base = functionBase(value, constructor, tag)
      if (keys.length === 0) return base
    } else if (kind === 'RegExp') {
      base = RegExp.prototype.toString.call(value)
      const prefix = getPrefix(constructor, tag, 'RegExp')
      if (prefix !== 'RegExp ') base = `${prefix}${base}`
      if (keys.length === 0 || recurseTimes > ctx.depth) return base
    } else if (kind === 'Date') {
      const time = Date.prototype.getTime.call(value)
      base = time !== time ? Date.prototype.toString.call(value) : Date.prototype.toISOString.call(value)
      const prefix = getPrefix(constructor, tag, 'Date')
      if (prefix !== 'Date ') base = `${prefix}${base}`
      if (keys.length === 0) return base
    } else if (kind === 'Error' || value instanceof Error) {
      base = formatError(ctx, value, constructor, tag, keys)
      if (keys.length === 0) return base
    } else if (kind === 'ArrayBuffer') {
      braces[0] = `${getPrefix(constructor, tag, 'ArrayBuffer')}{`
      formatter = formatArrayBuffer
      keys.unshift('byteLength')
    } else if (kind === 'DataView') {
      braces[0] = `${getPrefix(constructor, tag, 'DataView')}{`
      keys.unshift('byteLength', 'byteOffset', 'buffer')
    } else if (kind === 'Promise' || kind === 'WeakMap' || kind === 'WeakSet') {
      braces[0] = `${getPrefix(constructor, tag, kind)}{`
      const note = kind === 'Promise' ? '<unknown>' : '<items unknown>'
      formatter = () => [note]
    } else if (kind === 'Number' || kind === 'String' || kind === 'Boolean' || kind === 'BigInt' || kind === 'Symbol') {
      if (kind === 'String') keys.splice(0, value.length)
      base = `[${kind}`
      if (kind !== constructor) base += constructor === null ? ' (null prototype)' : ` (${constructor})`
      base += `: ${formatPrimitive({ ...ctx, indentationLvl: 0, breakLength: Infinity }, value.valueOf())}]`
      if (tag !== '' && tag !== constructor) base += ` [${tag}]`
      if (keys.length === 0) return base
    } else {
      if (keys.length === 0) return `${ctxStyle(value, constructor, tag)}{}`
      braces[0] = `${ctxStyle(value, constructor, tag)}{`
    }
  }

  if (recurseTimes > ctx.depth) {
    const name = ctxStyle(value, constructor, tag).slice(0, -1)
    return constructor !== null ? `[${name}]` : name
  }
  recurseTimes += 1
  ctx.seen.push(value)
  ctx.currentDepth = recurseTimes
  const output = formatter(ctx, value, recurseTimes)
  for (const key of keys) output.push(formatProperty(ctx, value, recurseTimes, key, extrasType))
  const index = ctx.circular?.get(value)
  if (index !== undefined) base = base === '' ? `<ref *${index}>` : `<ref *${index}> ${base}`
  ctx.seen.pop()
  return reduceToSingleString(ctx, output, base, braces, extrasType, recurseTimes, value)
}

function formatProperty(ctx: Context, value: any, recurseTimes: number, key: PropertyKey, type: number): string {
  const desc = Object.getOwnPropertyDescriptor(value, key) || { value: value[key], enumerable: true }
  let str: string
  if (desc.value !== undefined) {
    ctx.indentationLvl += 2
    str = formatValue(ctx, desc.value, recurseTimes)
    ctx.indentationLvl -= 2
  } else if (desc.get !== undefined) {
    str = desc.set !== undefined ? '[Getter/Setter]' : '[Getter]'
  } else {
    str = desc.set !== undefined ? '[Setter]' : 'undefined'
  }
  if (type === kArrayType) return str
  let name: string
  if (typeof key === 'symbol') name = `[${strEscape(key.toString()).slice(1, -1)}]`
  else if (key === '__proto__') name = "['__proto__']"
  else if (desc.enumerable === false) name = `[${String(key)}]`
  else if (keyIdentifier.test(String(key))) name = String(key)
  else name = strEscape(String(key))
  return `${name}: ${str}`
}
