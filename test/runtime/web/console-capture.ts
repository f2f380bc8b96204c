// Shared by the console suites: a snippet helper that records what console wrote.
// Snippet helper: runs `fn` and returns what console wrote, each write prefixed by its
// file descriptor, with stack frames (which differ by engine) reduced to <frames>.
export const capture = String.raw`
function capture(fn) {
  let out = ''
  const add = (fd, data) => {
    out += fd + '> ' + String(data).replace(/(\n +(at [^\n]*|\.\.\. \d+ lines matching cause stack trace \.\.\.))+/g, '\n<frames>')
  }
  const core = globalThis.__core
  if (core) {
    const write = core.write
    core.write = add
    try { fn() } finally { core.write = write }
  } else {
    const o = process.stdout.write, e = process.stderr.write
    process.stdout.write = (d) => (add(1, d), true)
    process.stderr.write = (d) => (add(2, d), true)
    try { fn() } finally { process.stdout.write = o; process.stderr.write = e }
  }
  return out
}
`
