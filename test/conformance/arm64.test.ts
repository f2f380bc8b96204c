// The conformance cases against the arm64 release runtime (cross-built, static aarch64
// musl), run under Debian's qemu-user emulation. The function is the one every other
// suite runs: bundled and compiled to bytecode by this machine's (amd64) qjsc, as every
// image's is, so passing here is also the proof that one app.bin serves on both CPUs.
import { readFileSync } from 'node:fs'
import * as assert from 'uvu/assert'
import { releaseBinary } from '../../scripts/runtime/build-runtime.ts'
import { emulatedRuntime, emulator } from '../support/emulation.ts'
import { run } from '../support/podman.ts'
import { conformanceSuite } from './conformance-suite.ts'

const conformance = conformanceSuite({
  title: 'conformance: Node + @hono/node-server vs the arm64 runtime under qemu-aarch64',
  runtime: () => emulatedRuntime('linux/arm64'),
  // Emulation starts the runtime in about a second; a loaded machine may take longer.
  startMs: 30_000,
})

conformance.test('the binary is a static aarch64 ELF executable, and says what it is under emulation', async () => {
  const elf = readFileSync(releaseBinary('linux/arm64'))
  assert.ok(elf.subarray(0, 4).equals(Buffer.from('\x7fELF', 'latin1')), 'an ELF file')
  assert.is(elf[4], 2, '64-bit')
  assert.is(elf.readUInt16LE(18), 183, 'e_machine is EM_AARCH64')
  assert.is(elf.readUInt16LE(16), 2, 'ET_EXEC: a static executable, not a PIE needing a loader')
  // No program header of type PT_INTERP (3): nothing for a dynamic loader to do.
  const phoff = Number(elf.readBigUInt64LE(32))
  const phentsize = elf.readUInt16LE(54)
  const types = Array.from({ length: elf.readUInt16LE(56) }, (_, i) => elf.readUInt32LE(phoff + i * phentsize))
  assert.not.ok(types.includes(3), 'has no PT_INTERP')
  const version = await run(emulator('linux/arm64'), [releaseBinary('linux/arm64'), '--version'])
  assert.match(version.stdout, /^scratchfn-runtime \d+\.\d+\.\d+ \(QuickJS [\d-]+\)$/m)
})

conformance.test('the emulated runtime is still serving after every case', () => {
  const server = conformance.scratchfn()
  assert.ok(server, 'the runtime started')
  assert.is(server.proc.exitCode, null, `the runtime exited: ${server.stderr().slice(0, 4000)}`)
})

conformance.test.run()
