// The entries inspect() lists inside the braces of arrays, typed arrays,
// ArrayBuffers, Sets and Maps, cut at maxArrayLength like Node.
import { hasOwn, type Context } from './inspect-context.ts'
import { kArrayType } from './inspect-layout.ts'
import { formatNumber } from './inspect-primitives.ts'

/* eslint-disable @typescript-eslint/no-explicit-any */

function remaining(n: number, unit = 'item'): string {
  return `... ${n} more ${unit}${n > 1 ? 's' : ''}`
}

export function formatArray(ctx: Context, value: any[], recurseTimes: number): string[] {
  const max = Math.min(ctx.maxArrayLength, value.length)
  const output: string[] = []
  let i = 0
  for (; i < value.length && output.length < max; i++) {
    if (hasOwn(value, i)) {
      output.push(ctx.formatProperty(ctx, value, recurseTimes, i, kArrayType))
      continue
    }
    // A run of holes prints as one entry.
    let j = i + 1
    while (j < value.length && !hasOwn(value, j)) j++
    output.push(`<${j - i} empty item${j - i > 1 ? 's' : ''}>`)
    i = j - 1
  }
  if (i < value.length) output.push(remaining(value.length - i))
  return output
}

export function formatTypedArray(ctx: Context, value: any, _recurseTimes: number): string[] {
  const len = Math.min(ctx.maxArrayLength, value.length)
  const output: string[] = []
  for (let i = 0; i < len; i++) output.push(typeof value[i] === 'bigint' ? `${value[i]}n` : formatNumber(value[i]))
  if (value.length > len) output.push(remaining(value.length - len))
  return output
}

export function formatArrayBuffer(ctx: Context, value: ArrayBuffer): string[] {
  const bytes = new Uint8Array(value, 0, Math.min(ctx.maxArrayLength, value.byteLength))
  let str = Array.from(bytes, (b) => (b < 16 ? '0' : '') + b.toString(16)).join(' ')
  if (value.byteLength > bytes.length) str += ` ${remaining(value.byteLength - bytes.length, 'byte')}`
  return [`[Uint8Contents]: <${str}>`]
}

function formatCollection(ctx: Context, value: any, recurseTimes: number, entry: (e: any) => string): string[] {
  const output: string[] = []
  ctx.indentationLvl += 2
  for (const e of value) {
    if (output.length >= ctx.maxArrayLength) break
    output.push(entry(e))
  }
  ctx.indentationLvl -= 2
  if (value.size > output.length) output.push(remaining(value.size - output.length))
  return output
}

export function formatSet(ctx: Context, value: Set<unknown>, recurseTimes: number): string[] {
  return formatCollection(ctx, value, recurseTimes, (v) => ctx.formatValue(ctx, v, recurseTimes))
}

export function formatMap(ctx: Context, value: Map<unknown, unknown>, recurseTimes: number): string[] {
  return formatCollection(
    ctx,
    value,
    recurseTimes,
    ([k, v]) => `${ctx.formatValue(ctx, k, recurseTimes)} => ${ctx.formatValue(ctx, v, recurseTimes)}`,
  )
}
