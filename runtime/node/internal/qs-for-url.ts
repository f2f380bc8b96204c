// What the npm `url` package (node:url's legacy parse/format) imports as `qs`: Node's
// querystring, which is what Node's own legacy url uses. Its one option, arrayFormat
// 'repeat', is what querystring does anyway.
import { parse as parseQuery, stringify as stringifyQuery } from '../querystring.ts'

export const parse = (qs: string): Record<string, string | string[]> => parseQuery(qs)
export const stringify = (obj: unknown): string => stringifyQuery(obj)
export default { parse, stringify }
