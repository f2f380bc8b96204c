// What inspect()'s formatters share, below all of them: the state of one inspect() call
// and the helpers every kind of value uses. An entry's value is formatted like any value,
// so the entry formatters recurse through the context's callbacks (set by inspect.ts)
// instead of importing the module that imports them.

/* eslint-disable @typescript-eslint/no-explicit-any */

export interface Context {
  depth: number
  showHidden: boolean
  breakLength: number
  maxArrayLength: number
  indentationLvl: number
  currentDepth: number
  seen: object[]
  circular?: Map<object, number>
  /** inspect.ts's formatValue: any value, at this depth. */
  formatValue(ctx: Context, value: any, recurseTimes: number): string
  /** inspect.ts's formatProperty: `key: value`, or the value alone for an array entry. */
  formatProperty(ctx: Context, value: any, recurseTimes: number, key: PropertyKey, type: number): string
}

export const hasOwn = (o: object, k: PropertyKey): boolean => Object.prototype.hasOwnProperty.call(o, k)

export function getPrefix(constructor: string | null, tag: string, fallback: string, size = ''): string {
  if (constructor === null) {
    if (tag !== '' && fallback !== tag) return `[${fallback}${size}: null prototype] [${tag}] `
    return `[${fallback}${size}: null prototype] `
  }
  if (tag !== '' && constructor !== tag) return `${constructor}${size} [${tag}] `
  return `${constructor}${size} `
}
