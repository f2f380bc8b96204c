// Debian's clang with its sanitizer and libFuzzer runtimes, for the fuzzer and the
// sanitizer build of the runtime. The runtimes live in libclang-rt-<major>-dev, which
// clang only recommends, so `--no-install-recommends` machines (CI) lack it: ask for it
// by the major version of the clang that is installed.
import { spawnSync } from 'node:child_process'
import { ensureSystemPackages } from './system-packages.ts'

export function ensureClangSanitizers(who: string, log?: (line: string) => void): void {
  ensureSystemPackages({ who, log, packages: [{ command: 'clang', package: 'clang' }] })
  const version = spawnSync('clang', ['-dumpversion'], { encoding: 'utf8' }).stdout.trim()
  const major = /^(\d+)/.exec(version)?.[1]
  if (!major) throw new Error(`${who}: cannot tell clang's version from 'clang -dumpversion' (got '${version}'); reinstall clang`)
  ensureSystemPackages({ who, log, packages: [{ package: `libclang-rt-${major}-dev` }] })
}
