// Fetching a binary package of another architecture the way the arm64 runtime's musl-dev
// is fetched: by apt, from the signed binary index of that architecture (here a small
// archive on loopback), checked against the pinned sha256, unpacked with dpkg-deb and
// never installed, then read from the cache with no network.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { debFileName, fetchDebianPackage, type DebianPackageOptions } from '../../../scripts/runtime/debian-package.ts'
import { serveDebianArchive, type DebianArchive } from '../../support/debian-archive.ts'

const test = suite('debian-package: a binary package of another architecture, by apt, pinned, unpacked, not installed')
const NAME = 'scratchfn-fixture-dev'
const ARCH = 'arm64'

/** A .deb with one library file, built by dpkg-deb as Debian's are. */
function debPackage(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-deb-'))
  try {
    const pkg = join(dir, 'pkg')
    mkdirSync(join(pkg, 'DEBIAN'), { recursive: true })
    mkdirSync(join(pkg, 'usr/lib/aarch64-linux-musl'), { recursive: true })
    writeFileSync(join(pkg, 'usr/lib/aarch64-linux-musl/libfixture.a'), '!<arch>\n')
    writeFileSync(
      join(pkg, 'DEBIAN/control'),
      `Package: ${NAME}\nVersion: 1.0-1\nArchitecture: ${ARCH}\nMaintainer: scratchfn tests <tests@scratchfn.invalid>\nDescription: a test package\n`,
    )
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', pkg, join(dir, 'out.deb')], { stdio: 'ignore' })
    return readFileSync(join(dir, 'out.deb'))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const deb = debPackage()
const hash = (b: Buffer) => execFileSync('sha256sum', { input: b }).toString().split(' ')[0]
let archive: DebianArchive
const logged: string[] = []
const dpkgStatus = () => readFileSync('/var/lib/dpkg/status')
const foreign = () => spawnSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' }).stdout
let statusBefore: Buffer
let foreignBefore: string

test.before(async () => {
  statusBefore = dpkgStatus()
  foreignBefore = foreign()
  archive = await serveDebianArchive({
    suite: 'bookworm',
    packages: [],
    binaries: [{ name: NAME, version: '1.0-1', architecture: ARCH, deb }],
  })
})
test.after(async () => {
  await archive.stop()
  archive.remove()
})

const options = (over: Partial<DebianPackageOptions> = {}): DebianPackageOptions => ({
  package: NAME,
  version: '1.0-1',
  architecture: ARCH,
  suite: 'bookworm',
  sha256: hash(deb),
  pinnedIn: 'the test',
  archive: archive.uri,
  keyring: archive.keyring,
  cacheDir: archive.dir,
  log: (line) => logged.push(line),
  ...over,
})

test('a wrong pinned hash stops before anything is unpacked, naming both hashes', async () => {
  const wrong = 'e'.repeat(64)
  let error: Error | undefined
  await fetchDebianPackage(options({ sha256: wrong })).catch((err: Error) => (error = err))
  assert.ok(error, 'the fetch must fail')
  const file = debFileName(options())
  assert.match(error.message, `${file} from ${archive.uri}/pool/main/s/${NAME}/${file} has sha256 ${hash(deb)}, but the test pins ${wrong}`)
  assert.equal(
    readdirSync(archive.dir).filter((f) => !f.startsWith('apt-')),
    [],
    'no tree, no partial tree',
  )
})

test('fetches the .deb through apt from the arm64 index, checks it and unpacks it, leaving dpkg as it was', async () => {
  const before = archive.requests.length
  logged.length = 0
  const tree = await fetchDebianPackage(options())
  assert.is(readFileSync(join(tree, 'usr/lib/aarch64-linux-musl/libfixture.a'), 'utf8'), '!<arch>\n')
  assert.match(logged[0], /^fetching scratchfn-fixture-dev 1\.0-1 \(arm64\) from Debian's archive \(bookworm\)\.\.\.$/)
  const fetched = archive.requests.slice(before)
  assert.equal(
    fetched.filter((p) => p.includes('/pool/')),
    [`/debian/pool/main/s/${NAME}/${NAME}_1.0-1_${ARCH}.deb`],
  )
  assert.ok(
    archive.requests.some((p) => p.includes('/binary-arm64/')),
    `apt read the arm64 index: ${archive.requests.join(' ')}`,
  )
  assert.match(
    readFileSync(join(archive.dir, 'apt-arm64/sources.list'), 'utf8'),
    /^deb \[arch=arm64 signed-by=.*archive-keyring\.gpg\] http:\/\/127\.0\.0\.1:\d+\/debian bookworm main\n$/,
  )
  // Unpacked, not installed: dpkg knows no new package and no new architecture.
  assert.ok(dpkgStatus().equals(statusBefore), '/var/lib/dpkg/status is unchanged')
  assert.is(foreign(), foreignBefore)
  assert.not.ok(existsSync(join(tree, 'DEBIAN')), 'the control files are not part of the tree')
})

test('with the tree cached, the archive unreachable does not matter: no apt, no network', async () => {
  await archive.stop()
  const before = archive.requests.length
  logged.length = 0
  const tree = await fetchDebianPackage(options({ archive: 'http://127.0.0.1:9/debian' }))
  assert.ok(existsSync(join(tree, 'usr/lib/aarch64-linux-musl/libfixture.a')))
  assert.is(archive.requests.length, before)
  assert.equal(logged, [])
})

test('rejects unknown and missing options', async () => {
  await fetchDebianPackage({ ...options(), file: 'x' } as DebianPackageOptions).then(
    () => assert.unreachable(),
    (err: Error) => assert.match(err.message, /unknown option 'file'/),
  )
  const { architecture: _, ...noArch } = options()
  await fetchDebianPackage(noArch as DebianPackageOptions).then(
    () => assert.unreachable(),
    (err: Error) => assert.match(err.message, /'architecture' is required/),
  )
})

test.run()
