// How inspect() lays entries out: on one line when the innermost levels fit in
// the line width (Node's "compact: 3"), one entry per line otherwise, and long
// arrays of short entries in aligned columns, with Node's heuristics.
import type { Context } from './inspect-context.ts'

export const kObjectType = 0
export const kArrayType = 1
export const kArrayExtrasType = 2

function isBelowBreakLength(ctx: Context, output: string[], start: number, base: string): boolean {
  let total = output.length + start
  if (total + output.length > ctx.breakLength) return false
  for (const entry of output) {
    total += entry.length
    if (total > ctx.breakLength) return false
  }
  return base === '' || base.indexOf('\n') === -1
}

export function reduceToSingleString(
  ctx: Context,
  output: string[],
  base: string,
  braces: [string, string],
  extrasType: number,
  recurseTimes: number,
  value: unknown,
): string {
  const entries = output.length
  if (extrasType === kArrayExtrasType && entries > 6) output = groupArrayElements(ctx, output, value as ArrayLike<unknown>)
  // Node's compact: 3 — the innermost three levels may share a line when they fit.
  if (ctx.currentDepth - recurseTimes < 3 && entries === output.length) {
    const start = output.length + ctx.indentationLvl + braces[0].length + base.length + 10
    if (isBelowBreakLength(ctx, output, start, base)) {
      const joined = output.join(', ')
      if (joined.indexOf('\n') === -1) return `${base ? `${base} ` : ''}${braces[0]} ${joined} ${braces[1]}`
    }
  }
  const indentation = `\n${' '.repeat(ctx.indentationLvl)}`
  return `${base ? `${base} ` : ''}${braces[0]}${indentation}  ${output.join(`,${indentation}  `)}${indentation}${braces[1]}`
}

function groupArrayElements(ctx: Context, output: string[], value: ArrayLike<unknown>): string[] {
  let totalLength = 0
  let maxLength = 0
  let outputLength = output.length
  // The "... more items" entry takes no part in the layout.
  if (ctx.maxArrayLength < output.length) outputLength--
  const separatorSpace = 2
  const dataLen: number[] = []
  for (let i = 0; i < outputLength; i++) {
    const len = output[i].length
    dataLen.push(len)
    totalLength += len + separatorSpace
    if (maxLength < len) maxLength = len
  }
  const actualMax = maxLength + separatorSpace
  if (actualMax * 3 + ctx.indentationLvl >= ctx.breakLength || !(totalLength / actualMax > 5 || maxLength <= 6)) return output
  const averageBias = Math.sqrt(actualMax - totalLength / output.length)
  const biasedMax = Math.max(actualMax - 3 - averageBias, 1)
  const columns = Math.min(
    Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
    Math.floor((ctx.breakLength - ctx.indentationLvl) / actualMax),
    3 * 4,
    15,
  )
  if (columns <= 1) return output
  const maxLineLength: number[] = []
  for (let i = 0; i < columns; i++) {
    let lineMaxLength = 0
    for (let j = i; j < outputLength; j += columns) if (dataLen[j] > lineMaxLength) lineMaxLength = dataLen[j]
    maxLineLength.push(lineMaxLength + separatorSpace)
  }
  // Numbers align right, anything else left.
  let padStart = true
  for (let i = 0; i < output.length; i++) {
    if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
      padStart = false
      break
    }
  }
  const tmp: string[] = []
  for (let i = 0; i < outputLength; i += columns) {
    const max = Math.min(i + columns, outputLength)
    let str = ''
    let j = i
    for (; j < max - 1; j++) {
      const cell = `${output[j]}, `
      str += padStart ? cell.padStart(maxLineLength[j - i], ' ') : cell.padEnd(maxLineLength[j - i], ' ')
    }
    str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, ' ') : output[j]
    tmp.push(str)
  }
  for (let i = outputLength; i < output.length; i++) tmp.push(output[i])
  return tmp
}
