// The npm packages runtime/node/ is built on ship no types; each module casts what it
// takes to Node's own types (@types/node), which they implement.
declare module 'path-browserify' {
  const posix: unknown
  export default posix
}
declare module 'readable-stream/lib/stream.js' {
  const stream: unknown
  export default stream
}
declare module 'readable-stream/lib/stream/promises.js' {
  const promises: unknown
  export default promises
}
declare module 'string_decoder/lib/string_decoder.js' {
  const decoder: unknown
  export default decoder
}
declare module 'url/url.js' {
  const url: unknown
  export default url
}
declare module 'punycode/punycode.js' {
  const punycode: unknown
  export default punycode
}
