// Our build-time patch to mbedTLS (runtime/mbedtls/patches/0001-...): a client that
// offers TLS 1.2 and 1.3 must accept a TLS 1.2 ServerKeyExchange signed with
// rsa_pss_rsae_*, which is what every TLS 1.2-only OpenSSL server with an RSA certificate
// sends. A small client (test/fixtures/mbedtls/tls12-client.c) is linked against the
// runtime's own mbedTLS archive and connects to `openssl s_server`; linked once more with
// the unpatched file from Debian's source, it fails, so the patch is what makes it work.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { cLibraryDirs } from '../../../scripts/runtime/c-libraries.ts'
import { fetchDebianSource } from '../../../scripts/runtime/debian-source.ts'
import { pinnedSources } from '../../../scripts/runtime/pinned-sources.ts'
import { repoRoot } from '../../support/paths.ts'
import { freePort } from '../../support/process.ts'

const test = suite('mbedTLS patch 0001: TLS 1.2 ServerKeyExchange signed with RSA-PSS')
const out = join(repoRoot, '.scratchfn/test/mbedtls')
const archive = join(repoRoot, '.scratchfn/runtime/obj/lib/libmbedtls.a')
const certs = mkdtempSync(join(tmpdir(), 'scratchfn-tls-'))
const clients = { patched: join(out, 'tls12-client'), unpatched: join(out, 'tls12-client-unpatched') }
const servers: ChildProcess[] = []

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`)
  return r.stdout
}

test.before(async () => {
  mkdirSync(out, { recursive: true })
  const quiet = { log: () => {} }
  const { mbedtls } = await cLibraryDirs(quiet)
  const pristine = await fetchDebianSource({ ...pinnedSources.mbedtls, ...quiet })
  const flags = [
    '-O1',
    '-static',
    `-I${join(repoRoot, 'runtime/mbedtls')}`,
    '-DMBEDTLS_CONFIG_FILE=<scratchfn-config.h>',
    `-I${join(mbedtls, 'include')}`,
  ]
  const client = join(repoRoot, 'test/fixtures/mbedtls/tls12-client.c')
  run('musl-gcc', [...flags, '-o', clients.patched, client, archive])
  // The unpatched ssl_tls12_client.c comes first, so the archive's patched member is never pulled.
  const unpatched = join(out, 'ssl_tls12_client.o')
  run('musl-gcc', [...flags, `-I${join(pristine, 'library')}`, '-w', '-c', '-o', unpatched, join(pristine, 'library/ssl_tls12_client.c')])
  run('musl-gcc', [...flags, '-o', clients.unpatched, client, unpatched, archive])
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
    '-keyout',
    join(certs, 'key.pem'),
    '-out',
    join(certs, 'cert.pem'),
  ])
})
test.after(() => {
  for (const s of servers) s.kill('SIGKILL')
  rmSync(certs, { recursive: true, force: true })
})

/** An `openssl s_server` with the RSA certificate and only this TLS version, once it accepts. */
async function server(version: '-tls1_2' | '-tls1_3'): Promise<number> {
  const port = await freePort()
  const args = ['s_server', '-accept', String(port), '-cert', join(certs, 'cert.pem'), '-key', join(certs, 'key.pem'), version, '-quiet']
  servers.push(spawn('openssl', args, { stdio: ['pipe', 'ignore', 'ignore'] }))
  for (let i = 0; i < 400; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy()
        resolve(true)
      })
      s.on('error', () => resolve(false))
    })
    if (up) return port
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`openssl s_server ${version} did not listen on ${port}`)
}

function handshake(client: string, port: number): string {
  return spawnSync(client, [String(port), join(certs, 'cert.pem'), 'localhost'], { encoding: 'utf8', timeout: 20_000 }).stdout.trim()
}

test('with the patch, the client completes a TLS 1.2 handshake with an RSA-certificate OpenSSL server', async () => {
  assert.match(handshake(clients.patched, await server('-tls1_2')), /^ok TLSv1\.2 TLS-ECDHE-RSA-WITH-AES-(128|256)-GCM-SHA(256|384)$/)
})

test('without it, the same client fails that handshake with ILLEGAL_PARAMETER (-0x6600)', async () => {
  assert.is(handshake(clients.unpatched, await server('-tls1_2')), 'failed -0x6600')
})

test('TLS 1.3 works with and without it (the patch touches only the TLS 1.2 path)', async () => {
  assert.match(handshake(clients.patched, await server('-tls1_3')), /^ok TLSv1\.3 TLS1-3-/)
  assert.match(handshake(clients.unpatched, await server('-tls1_3')), /^ok TLSv1\.3 TLS1-3-/)
})

test.run()
