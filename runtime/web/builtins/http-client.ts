// fetch's wire side, built into the runtime as its own bytecode and evaluated on the first
// fetch (see scripts/runtime/lazy-builtins.ts): the keep-alive pool, connections, TLS, the
// HTTP/1.1 exchange and gzip/deflate body decoding. Most functions never fetch.
export { send } from '../http-client.ts'
export { decodeBody } from '../fetch-decode.ts'
