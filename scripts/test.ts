// `npm test`: builds the runtime, runs every uvu suite under test/ (or the files
// matching the arguments), and ends with one line, `N passed, N failed`.
import { readdirSync, statSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { run } from 'uvu/run'
import { buildRuntime } from './runtime/build-runtime.ts'
import { ensureClangSanitizers } from './shared/clang-toolchain.ts'
import { ensureSystemPackages } from './shared/system-packages.ts'

function findTests(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...findTests(path))
    else if (name.endsWith('.test.ts')) out.push(path)
  }
  return out
}

const filters = process.argv.slice(2)
const root = resolve(import.meta.dirname, '..')
const files = findTests(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((p) => relative(root, f).includes(p)))

// The suites run real components: podman and runc for images, skopeo, a registry
// (with htpasswd logins and openssl for its token auth), kubectl to render the deploy
// kustomization, etcd for the machines store, PostgreSQL and Redis for the sockets and
// database tests, clang for the fuzzer, podman-compose to run the compose target,
// qemu-user to run the arm64 runtime.
ensureSystemPackages({
  who: 'tests',
  packages: [
    { command: 'podman', package: 'podman' },
    { command: 'runc', package: 'runc' },
    { command: 'skopeo', package: 'skopeo' },
    { command: 'docker-registry', package: 'docker-registry' },
    { command: 'etcd', package: 'etcd-server' },
    // Its binaries live in /usr/lib/postgresql/<version>/bin, off PATH: dpkg is asked.
    { package: 'postgresql' },
    { command: 'redis-server', package: 'redis-server' },
    { command: 'wrk', package: 'wrk' },
    { command: 'htpasswd', package: 'apache2-utils' },
    { command: 'openssl', package: 'openssl' },
    { command: 'kubectl', package: 'kubernetes-client' },
    { command: 'podman-compose', package: 'podman-compose' },
    // podman kube play builds its pods' pause image from it.
    { command: 'catatonit', package: 'catatonit' },
    // Called explicitly on the arm64 binary (no binfmt handler is registered), so not qemu-user-static.
    { command: 'qemu-aarch64', package: 'qemu-user' },
  ],
})
// The fuzzer and the sanitizer build of the runtime: clang and its ASan/UBSan/libFuzzer runtimes.
ensureClangSanitizers('tests')
// Every platform's runtime once, before suites that build images need them (cached after).
await buildRuntime({})
await buildRuntime({ platform: 'linux/arm64' })

// uvu prints its totals; we read them back to print the one summary line CI expects.
let printed = ''
const write = process.stdout.write.bind(process.stdout)
process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
  printed += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
  if (printed.length > 1 << 20) printed = printed.slice(-4096)
  return (write as (...a: unknown[]) => boolean)(chunk, ...rest)
}) as typeof process.stdout.write

let crashed = 0
try {
  await run(
    files.map((file) => ({ name: relative(root, file), file })),
    { bail: false },
  )
} catch (err) {
  crashed = 1
  console.error('test runner crashed:', err)
}
process.stdout.write = write

const plain = printed.replace(/\x1b\[[0-9;]*m/g, '')
const total = Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0)
const passed = Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0)
const skipped = Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0)
const failed = total - passed - skipped + crashed
if (failed > 0 || total === 0) process.exitCode = 1
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
