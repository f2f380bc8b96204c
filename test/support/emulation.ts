// The release runtime of another platform, run on this machine by Debian's qemu-user
// (qemu-aarch64 for arm64). No binfmt handler is registered here (that would change the
// machine's configuration), so the emulator is called explicitly: a two-line wrapper that
// execs it on the binary, which tests start wherever they start a runtime, e.g.
//   SCRATCHFN_TEST_RUNTIME=.scratchfn/runtime-arm64/scratchfn-runtime-qemu npm test -- test/runtime
// qemu-user passes signals on to the emulated process, so SIGTERM still drains it.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { buildRuntime } from '../../scripts/runtime/build-runtime.ts'
import { architectureOf, hostPlatform, type Platform } from '../../scripts/shared/platforms.ts'
import { ensureSystemPackages } from '../../scripts/shared/system-packages.ts'

const QEMU: Record<string, string> = { amd64: 'qemu-x86_64', arm64: 'qemu-aarch64' }

/** The emulator command for a platform's binaries, installed (Debian's qemu-user) when missing. */
export function emulator(platform: Platform): string {
  const command = QEMU[architectureOf(platform)]
  ensureSystemPackages({ who: 'tests', packages: [{ command, package: 'qemu-user' }] })
  return command
}

/**
 * Builds the platform's release runtime (cached) and returns a command that runs it here:
 * the binary itself on this machine's platform, else the wrapper beside it.
 */
export async function emulatedRuntime(platform: Platform): Promise<string> {
  const { binary } = await buildRuntime({ platform, quiet: true })
  if (platform === hostPlatform()) return binary
  const wrapper = `${binary}-qemu`
  const script = `#!/bin/sh\nexec ${emulator(platform)} ${binary} "$@"\n`
  if (!existsSync(wrapper) || readFileSync(wrapper, 'utf8') !== script) writeFileSync(wrapper, script)
  chmodSync(wrapper, 0o755)
  return wrapper
}
