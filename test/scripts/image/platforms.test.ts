// The platforms of a function's image, as a user meets them: `npm run build` writes an
// image index with a linux/amd64 and a linux/arm64 manifest over one function layer,
// `--platform` builds one of them, and the arm64 image serves: podman picks its manifest
// out of the layout by --platform, and the root filesystem of a container made from it
// runs under Debian's qemu-aarch64. podman cannot start it itself here: that takes a
// binfmt_misc handler for aarch64 (qemu-user-static's), and registering one would change
// this machine's configuration.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { emulator } from '../../support/emulation.ts'
import { freePort } from '../../support/process.ts'
import { tempPodman, type Podman } from '../../support/podman.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'
import { readTar } from '../../support/tar.ts'

type Descriptor = { digest: string; platform: { architecture: string; os: string } }
let project: Project
let podman: Podman | undefined
const cleanups: string[] = []
const blob = (p: Project, digest: string) => readFileSync(join(p.root, 'dist/images/greet/blobs/sha256', digest.slice(7)))
const json = (p: Project, digest: string) => JSON.parse(blob(p, digest).toString())
const indexOf = (p: Project) => json(p, p.json('dist/images/greet/index.json').manifests[0].digest) as { manifests: Descriptor[] }
/** e_machine of an ELF file: 62 x86-64, 183 AArch64. */
const machine = (elf: Buffer) => elf.readUInt16LE(18)

const test = suite('image platforms: one index, linux/amd64 and linux/arm64 over one function layer')

test.before(() => {
  project = tempProject([fixture('greet')])
  const built = project.build()
  if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
})
test.after(async () => {
  await podman?.cleanup()
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true })
  project?.remove()
})

test('the index lists both platforms; their runtime layers hold an x86-64 and an aarch64 binary, their function layer is one blob', async () => {
  const index = indexOf(project)
  assert.equal(
    index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`),
    ['linux/amd64', 'linux/arm64'],
  )
  const [amd, arm] = index.manifests.map((m) => json(project, m.digest) as { layers: Array<{ digest: string }> })
  assert.is(amd.layers[1].digest, arm.layers[1].digest, 'the same function layer digest')
  const runtime = async (layer: string) => (await readTar(gunzipSync(blob(project, layer))))[0].data
  assert.is(machine(await runtime(amd.layers[0].digest)), 62)
  assert.is(machine(await runtime(arm.layers[0].digest)), 183)
  // The size gate measured each platform's image.
  const rows = project.json('dist/size-report.json').images as Array<{ platform: string; digest: string; uncompressed: number }>
  assert.equal(
    rows.map((r) => [r.platform, r.digest]),
    index.manifests.map((m) => [`linux/${m.platform.architecture}`, m.digest]),
  )
})

test('--platform linux/arm64 builds that image alone, and the size gate measures that one', () => {
  const one = tempProject([fixture('greet')])
  try {
    const built = one.build(['--platform', 'linux/arm64'])
    assert.is(built.code, 0, built.output)
    assert.equal(
      indexOf(one).manifests.map((m) => m.platform.architecture),
      ['arm64'],
    )
    assert.equal(
      one.json('dist/size-report.json').images.map((r: { platform: string }) => r.platform),
      ['linux/arm64'],
    )
    // The arm64 manifest is the one the two-platform build made: same bytes, same digest.
    assert.is(indexOf(one).manifests[0].digest, indexOf(project).manifests[1].digest)
    const bad = one.build(['--platform', 'linux/s390x'])
    assert.is(bad.code, 1)
    assert.match(bad.stderr, /--platform: 'linux\/s390x' is not a platform scratchfn builds; write one of linux\/amd64, linux\/arm64/)
  } finally {
    one.remove()
  }
})

test('podman takes the arm64 manifest from the layout by --platform, and its root filesystem serves under qemu-aarch64', async () => {
  podman = tempPodman()
  // A copy at a plain lower-case path: podman names the image after it, and refuses dot-folders.
  const copy = join(tmpdir(), `scratchfn-oci-${randomUUID()}`)
  cleanups.push(copy)
  cpSync(join(project.root, 'dist/images/greet'), join(copy, 'layout'), { recursive: true })
  const pulled = await podman.podman(['pull', '-q', '--platform', 'linux/arm64', `oci:${join(copy, 'layout')}:latest`], {
    timeoutMs: 120_000,
  })
  const [image] = JSON.parse((await podman.podman(['image', 'inspect', pulled.stdout.trim()])).stdout)
  assert.is(image.Architecture, 'arm64')
  const arm = indexOf(project).manifests[1]
  // podman records the index it came from and the arm64 manifest it took.
  assert.is(image.Digest, project.json('dist/images/greet/index.json').manifests[0].digest)
  assert.ok(
    (image.RepoDigests as string[]).some((d) => d.endsWith(`@${arm.digest}`)),
    image.RepoDigests.join(' '),
  )
  // The container's root filesystem, as podman made it from the arm64 manifest.
  const id = (await podman.podman(['create', image.Id])).stdout.trim()
  const exported = join(podman.dir, 'rootfs.tar')
  await podman.podman(['export', '-o', exported, id])
  const rootfs = join(copy, 'rootfs')
  for (const e of await readTar(readFileSync(exported))) {
    const path = join(rootfs, e.name)
    if (e.type === 'directory') mkdirSync(path, { recursive: true })
    else if (e.type === 'file') {
      mkdirSync(dirname(path), { recursive: true })
      writeFileSync(path, e.data)
      chmodSync(path, e.mode)
    }
  }
  assert.is(machine(readFileSync(join(rootfs, 'scratchfn-runtime'))), 183)
  // Its entrypoint and environment, with the image's absolute paths inside the unpacked root.
  const { Entrypoint: entrypoint, Env: env } = image.Config as { Entrypoint: string[]; Env: string[] }
  const port = await freePort()
  const vars = Object.fromEntries(env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
  const proc = spawn(
    emulator('linux/arm64'),
    entrypoint.map((arg) => (arg.startsWith('/') ? join(rootfs, arg) : arg)),
    {
      env: { ...vars, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  proc.stderr.on('data', (c) => (stderr += c))
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  try {
    let res: Response | undefined
    for (const deadline = Date.now() + 30_000; Date.now() < deadline && proc.exitCode === null;) {
      try {
        res = await fetch(`http://127.0.0.1:${port}/greet`)
        break
      } catch {
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    assert.ok(res, `the arm64 runtime did not answer:\n${stderr}`)
    assert.is(res.status, 200)
    assert.is(await res.text(), 'hi from greet\n', 'the config env (GREETING) came from the arm64 image config')
    const named = await fetch(`http://127.0.0.1:${port}/greet/ada`)
    assert.equal(await named.json(), { message: 'hi, ada!' })
  } finally {
    proc.kill('SIGTERM')
  }
  assert.is(await exited, 0, `the emulated runtime drains and exits 0 on SIGTERM:\n${stderr}`)
})

test.run()
