// pg's pgpass in an image: there is no ~/.pgpass, so no password comes from it (pg then
// logs in without one, as it does when the file is absent). Pass the password in the URL
// or the Pool's options.
export default function pgpass(_params: unknown, cb: (password?: string) => void): void {
  globalThis.process.nextTick(() => cb(undefined))
}
