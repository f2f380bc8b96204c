// Fetching a source package file the way the engine's source is fetched: by apt, from a
// signed archive (here a small one on loopback), verified against the pinned sha256
// before anything is unpacked, and read from the cache afterwards with no network.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { fetchDebianSource, sourceKey, type DebianSourceOptions } from '../../../scripts/runtime/debian-source.ts'
import { serveDebianArchive, type DebianArchive } from '../../support/debian-archive.ts'

const test = suite('debian-source: one file of a Debian source package, by apt, pinned and cached')
const NAME = 'scratchfn-fixture'
const ORIG = `${NAME}_1.0.orig.tar.xz`

/** A small orig tarball with one top folder, as Debian's are. */
function origTarball(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-orig-'))
  try {
    mkdirSync(join(dir, `${NAME}-1.0`))
    writeFileSync(join(dir, `${NAME}-1.0`, 'hello.c'), 'int hello(void) { return 42; }\n')
    writeFileSync(join(dir, `${NAME}-1.0`, 'VERSION'), '1.0\n')
    execFileSync('tar', ['-cJf', join(dir, ORIG), '-C', dir, `${NAME}-1.0`])
    return readFileSync(join(dir, ORIG))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const tarball = origTarball()
const hash = (b: Buffer) => execFileSync('sha256sum', { input: b }).toString().split(' ')[0]
let archive: DebianArchive
const logged: string[] = []

test.before(async () => {
  archive = await serveDebianArchive({
    suite: 'trixie',
    packages: [
      {
        name: NAME,
        version: '1.0-1',
        // The .dsc and .debian.tar.xz are listed but missing, as on a mirror that lost them.
        files: { [`${NAME}_1.0-1.dsc`]: null, [ORIG]: tarball, [`${NAME}_1.0-1.debian.tar.xz`]: null },
      },
    ],
  })
})
test.after(async () => {
  await archive.stop()
  archive.remove()
})

const options = (over: Partial<DebianSourceOptions> = {}): DebianSourceOptions => ({
  package: NAME,
  version: '1.0-1',
  suite: 'trixie',
  file: ORIG,
  sha256: hash(tarball),
  pinnedIn: 'the test',
  archive: archive.uri,
  keyring: archive.keyring,
  cacheDir: archive.dir,
  log: (line) => logged.push(line),
  ...over,
})

test('a wrong pinned hash stops before anything is unpacked, naming both hashes', async () => {
  const wrong = 'f'.repeat(64)
  let error: Error | undefined
  await fetchDebianSource(options({ sha256: wrong })).catch((err: Error) => (error = err))
  assert.ok(error, 'the fetch must fail')
  assert.match(
    error.message,
    new RegExp(`${ORIG} from ${archive.uri}/pool/main/s/${NAME}/${ORIG} has sha256 ${hash(tarball)}, but the test pins ${wrong}`),
  )
  assert.match(error.message, /nothing was extracted/)
  assert.not.ok(existsSync(join(archive.dir, sourceKey({ package: NAME, version: '1.0-1', sha256: wrong }))))
  assert.equal(
    readdirSync(archive.dir).filter((f) => f !== 'apt'),
    [],
    'no tree, no partial tree',
  )
})

test('fetches the file through apt from the signed archive, checks it and unpacks it into the cache', async () => {
  const before = archive.requests.length
  logged.length = 0
  const tree = await fetchDebianSource(options())
  assert.is(tree, join(archive.dir, sourceKey(options()), `${NAME}-1.0`))
  assert.is(readFileSync(join(tree, 'hello.c'), 'utf8'), 'int hello(void) { return 42; }\n')
  assert.match(logged[0], /^fetching scratchfn-fixture 1\.0-1 from Debian's source archive \(trixie\)\.\.\.$/)
  // Only the file asked for was downloaded (the missing .debian.tar.xz does not matter).
  const pool = archive.requests.slice(before).filter((p) => p.includes('/pool/'))
  assert.equal(pool, [`/debian/pool/main/s/${NAME}/${ORIG}`])
  // The machine's apt configuration is untouched: the private state is under the cache.
  assert.match(
    readFileSync(join(archive.dir, 'apt/sources.list'), 'utf8'),
    /^deb-src \[signed-by=.*archive-keyring\.gpg\] http:\/\/127\.0\.0\.1:\d+\/debian trixie main\n$/,
  )
})

test('an archive that the keyring did not sign is refused by apt, and nothing is fetched from it', async () => {
  const before = archive.requests.length
  let error: Error | undefined
  await fetchDebianSource(
    options({ keyring: '/usr/share/keyrings/debian-archive-keyring.gpg', cacheDir: join(archive.dir, 'other') }),
  ).catch((err: Error) => (error = err))
  assert.ok(error, 'the fetch must fail')
  assert.match(error.message, /is not signed|NO_PUBKEY/)
  assert.not.ok(
    archive.requests.slice(before).some((p) => p.includes('/pool/')),
    'no file was downloaded',
  )
})

test('with the tree cached, a fetch with the archive unreachable returns it without asking apt or the network', async () => {
  await archive.stop()
  const before = archive.requests.length
  logged.length = 0
  const tree = await fetchDebianSource(options({ archive: 'http://127.0.0.1:9/debian' }))
  assert.is(readFileSync(join(tree, 'VERSION'), 'utf8'), '1.0\n')
  assert.is(archive.requests.length, before)
  assert.equal(logged, [])
})

test('without the tree and with the archive unreachable, it fails saying which archive apt could not read', async () => {
  let error: Error | undefined
  await fetchDebianSource(options({ sha256: hash(Buffer.from('another')), archive: 'http://127.0.0.1:9/debian' })).catch(
    (err: Error) => (error = err),
  )
  assert.ok(error)
  assert.match(error.message, /http:\/\/127\.0\.0\.1:9\/debian/)
})

test('rejects unknown and missing options', async () => {
  await fetchDebianSource({ ...options(), bogus: 1 } as DebianSourceOptions).then(
    () => assert.unreachable(),
    (err: Error) => assert.match(err.message, /unknown option 'bogus'/),
  )
  await fetchDebianSource({ ...options(), sha256: 'abc' }).then(
    () => assert.unreachable(),
    (err: Error) => assert.match(err.message, /sha256 must be 64 hex digits/),
  )
})

test.run()
