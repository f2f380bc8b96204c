// What the npm `url` package imports as `punycode/` (a path esbuild does not resolve to
// the package's main): the npm punycode, for IDN host names in url.parse.
import punycode from 'punycode/punycode.js'

const p = punycode as { toASCII(s: string): string; toUnicode(s: string): string; encode(s: string): string; decode(s: string): string }
export const { toASCII, toUnicode, encode, decode } = p
export default p
