// node:string_decoder: the npm port of Node's (string_decoder, on safe-buffer, which is
// our Buffer), so multi-byte characters split across chunks come out whole.
import sd from 'string_decoder/lib/string_decoder.js'

export const StringDecoder = (sd as { StringDecoder: typeof import('node:string_decoder').StringDecoder }).StringDecoder
export default { StringDecoder }
