import { gunzipSync } from 'node:zlib'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { createLayer, sha256 } from '../../../scripts/image/layer.ts'
import { readTar } from '../../support/tar.ts'

const test = suite('oci/layer: deterministic tar+gzip layers')

const entries = () => [
  { path: 'app/function.json', data: Buffer.from('{"name":"x"}\n'), mode: 0o444 },
  { path: 'app/', mode: 0o755 },
  { path: 'app/app.bin', data: Buffer.from('bytecode'), mode: 0o444 },
  { path: 'scratchfn-runtime', data: Buffer.alloc(5000, 7), mode: 0o555 },
]

test('the same files give byte-identical tar and gzip, whatever the input order', async () => {
  const a = await createLayer({ entries: entries(), mtime: 1_700_000_000 })
  const b = await createLayer({ entries: entries().reverse(), mtime: 1_700_000_000 })
  assert.ok(a.tar.equals(b.tar))
  assert.ok(a.gz.equals(b.gz))
  assert.is(a.digest, b.digest)
})

test('entries are sorted, root-owned with no names, with the given modes and mtime', async () => {
  const layer = await createLayer({ entries: entries(), mtime: 1_700_000_000 })
  const read = await readTar(layer.tar)
  assert.equal(
    read.map((e) => e.name),
    ['app/', 'app/app.bin', 'app/function.json', 'scratchfn-runtime'],
  )
  assert.equal(
    read.map((e) => e.mode),
    [0o755, 0o444, 0o444, 0o555],
  )
  assert.equal(
    read.map((e) => e.type),
    ['directory', 'file', 'file', 'file'],
  )
  for (const e of read) {
    assert.is(e.uid, 0)
    assert.is(e.gid, 0)
    assert.is(e.uname, '')
    assert.is(e.gname, '')
    assert.is(e.mtime, 1_700_000_000)
  }
  assert.is(read[1].data.toString(), 'bytecode')
})

test('digests: diffId hashes the tar, digest hashes the gzip, and the gzip unpacks to the tar', async () => {
  const layer = await createLayer({ entries: entries(), mtime: 0 })
  assert.is(layer.diffId, sha256(layer.tar))
  assert.is(layer.digest, sha256(layer.gz))
  assert.ok(gunzipSync(layer.gz).equals(layer.tar))
  assert.match(layer.digest, /^sha256:[0-9a-f]{64}$/)
})

test('the gzip header carries no time, no file name and level 9 flags', async () => {
  const { gz } = await createLayer({ entries: entries(), mtime: 1_700_000_000 })
  assert.equal([...gz.subarray(0, 4)], [0x1f, 0x8b, 8, 0]) // magic, deflate, no FNAME/FEXTRA
  assert.is(gz.readUInt32LE(4), 0) // MTIME
  assert.is(gz[8], 2) // XFL: maximum compression
})

test('a different mtime or mode changes the digest (both are part of the contract)', async () => {
  const base = await createLayer({ entries: entries(), mtime: 1 })
  const later = await createLayer({ entries: entries(), mtime: 2 })
  const modes = await createLayer({ entries: entries().map((e) => ({ ...e, mode: e.mode === 0o555 ? 0o755 : e.mode })), mtime: 1 })
  assert.is.not(base.digest, later.digest)
  assert.is.not(base.digest, modes.digest)
})

test('rejects absolute paths, "..", duplicates, unknown options and a bad mtime, naming the problem', async () => {
  const bad = async (fn: () => Promise<unknown>, pattern: RegExp) => {
    try {
      await fn()
    } catch (err) {
      assert.match((err as Error).message, pattern)
      return
    }
    assert.unreachable('should have thrown')
  }
  await bad(() => createLayer({ entries: [{ path: '/etc/passwd', data: Buffer.from('x'), mode: 0o444 }], mtime: 0 }), /relative path/)
  await bad(() => createLayer({ entries: [{ path: 'a/../../b', data: Buffer.from('x'), mode: 0o444 }], mtime: 0 }), /'\.\.'/)
  await bad(
    () =>
      createLayer({
        entries: [
          { path: 'a', data: Buffer.from('x'), mode: 0o444 },
          { path: 'a', data: Buffer.from('y'), mode: 0o444 },
        ],
        mtime: 0,
      }),
    /listed twice/,
  )
  await bad(() => createLayer({ entries: [], mtime: 0, gzip: true } as never), /unknown option 'gzip'/)
  await bad(() => createLayer({ entries: [], mtime: -1 }), /mtime/)
})

test.run()
