// Where push finds a registry login, in the order podman reads them, with real files
// in a temporary HOME (and a real docker credential helper program on PATH), plus how
// --registry and a WWW-Authenticate challenge are read.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parseChallenge } from '../../../scripts/push/auth.ts'
import { findCredentials } from '../../../scripts/push/credentials.ts'
import { parseRegistry } from '../../../scripts/push/reference.ts'

let home: string
const auth = (user: string, pass: string) => ({ auth: Buffer.from(`${user}:${pass}`).toString('base64') })
const write = (path: string, value: unknown) => {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, JSON.stringify(value))
}
const lookup = (env: Record<string, string> = {}, host = 'quay.io', repository = 'team') =>
  findCredentials({ host, repository, home, env: { HOME: home, PATH: process.env.PATH ?? '', ...env } })

const test = suite('push: credentials, --registry and challenges')
test.before.each(() => {
  home = mkdtempSync(join(tmpdir(), 'scratchfn-creds-'))
})
test.after.each(() => rmSync(home, { recursive: true, force: true }))

test('none anywhere: null (an anonymous push)', () => {
  assert.is(lookup(), null)
})

test('SCRATCHFN_REGISTRY_USER/PASSWORD win over every file; one without the other is an error', () => {
  write(join(home, '.docker/config.json'), { auths: { 'quay.io': auth('file-user', 'x') } })
  const c = lookup({ SCRATCHFN_REGISTRY_USER: 'env-user', SCRATCHFN_REGISTRY_PASSWORD: 'env-pass' })
  assert.equal(c && [c.username, c.password, c.source], ['env-user', 'env-pass', '$SCRATCHFN_REGISTRY_USER/$SCRATCHFN_REGISTRY_PASSWORD'])
  assert.throws(() => lookup({ SCRATCHFN_REGISTRY_USER: 'env-user' }), /set both SCRATCHFN_REGISTRY_USER and SCRATCHFN_REGISTRY_PASSWORD/)
})

test('podman order: $REGISTRY_AUTH_FILE, then $XDG_RUNTIME_DIR/containers/auth.json, then ~/.config/containers/auth.json, then docker', () => {
  const runtime = join(home, 'run')
  write(join(home, '.docker/config.json'), { auths: { 'quay.io': auth('docker', '1') } })
  assert.is(lookup()?.username, 'docker')
  write(join(home, '.config/containers/auth.json'), { auths: { 'quay.io': auth('podman-config', '2') } })
  assert.equal([lookup()?.username, lookup()?.source], ['podman-config', '~/.config/containers/auth.json'])
  write(join(runtime, 'containers/auth.json'), { auths: { 'quay.io': auth('podman-runtime', '3') } })
  assert.is(lookup({ XDG_RUNTIME_DIR: runtime })?.username, 'podman-runtime')
  write(join(home, 'ci-auth.json'), { auths: { 'quay.io': auth('auth-file', '4') } })
  assert.is(lookup({ XDG_RUNTIME_DIR: runtime, REGISTRY_AUTH_FILE: join(home, 'ci-auth.json') })?.username, 'auth-file')
  assert.throws(
    () => lookup({ REGISTRY_AUTH_FILE: join(home, 'missing.json') }),
    /\$REGISTRY_AUTH_FILE names .*missing\.json, which does not exist/,
  )
})

test('the most specific key wins (host/namespace over host), and legacy https://host/v1/ keys match', () => {
  write(join(home, '.docker/config.json'), {
    auths: {
      'https://quay.io/v1/': auth('host-wide', 'a'),
      'quay.io/team': auth('team-only', 'b'),
      'quay.io/other': auth('other-team', 'c'),
    },
  })
  assert.is(lookup({}, 'quay.io', 'team')?.username, 'team-only')
  assert.is(lookup({}, 'quay.io', 'team/sub')?.username, 'team-only')
  assert.is(lookup({}, 'quay.io', 'elsewhere')?.username, 'host-wide')
  assert.is(lookup({}, 'ghcr.io', 'team'), null)
})

test("Docker Hub: docker.io finds docker login's https://index.docker.io/v1/ entry; a password with ':' survives", () => {
  write(join(home, '.docker/config.json'), { auths: { 'https://index.docker.io/v1/': auth('hub-user', 'pa:ss') } })
  const c = lookup({}, 'docker.io', 'hub-user')
  assert.equal([c?.username, c?.password], ['hub-user', 'pa:ss'])
})

test('a docker credential helper (credHelpers, then credsStore) is asked with the docker protocol', () => {
  const bin = join(home, 'bin')
  mkdirSync(bin)
  const helper = join(bin, 'docker-credential-scratchfntest')
  // A real helper program: reads the server on stdin, answers JSON (or 'not found').
  writeFileSync(
    helper,
    '#!/bin/sh\nread server\nif [ "$server" = "quay.io" ]; then echo "{\\"Username\\":\\"helper-user\\",\\"Secret\\":\\"s3cret\\"}"; else echo "credentials not found in native keychain"; exit 1; fi\n',
  )
  chmodSync(helper, 0o755)
  const path = `${bin}:${process.env.PATH}`
  write(join(home, '.docker/config.json'), { auths: { 'quay.io': {} }, credsStore: 'scratchfntest' })
  const c = lookup({ PATH: path })
  assert.equal([c?.username, c?.password], ['helper-user', 's3cret'])
  assert.match(c!.source, /docker-credential-scratchfntest \(named in ~\/\.docker\/config\.json\)/)
  assert.is(lookup({ PATH: path }, 'ghcr.io'), null)
  write(join(home, '.docker/config.json'), { credHelpers: { 'quay.io': 'absent' } })
  assert.throws(
    () => lookup({ PATH: path }),
    /names the credential helper 'absent', but docker-credential-absent cannot run \(ENOENT\); install it, or remove credsStore\/credHelpers/,
  )
})

test('--registry: host and namespace, Docker Hub API host, and clear refusals', () => {
  assert.equal(parseRegistry('quay.io/team/sub'), { host: 'quay.io', namespace: 'team/sub', baseUrl: 'https://quay.io', insecure: false })
  assert.equal(parseRegistry('127.0.0.1:5000/dev', true), {
    host: '127.0.0.1:5000',
    namespace: 'dev',
    baseUrl: 'http://127.0.0.1:5000',
    insecure: true,
  })
  assert.is(parseRegistry('docker.io/me').baseUrl, 'https://registry-1.docker.io')
  assert.is(parseRegistry('localhost:5000').namespace, '')
  assert.throws(() => parseRegistry(''), /--registry is required/)
  assert.throws(() => parseRegistry('team/x'), /names no registry host/)
  assert.throws(() => parseRegistry('quay.io/Team'), /namespace part 'Team' must be lower-case/)
})

test('WWW-Authenticate: Basic and Bearer with quoted, comma-holding parameters', () => {
  assert.equal(parseChallenge('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"'), {
    scheme: 'bearer',
    params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' },
  })
  assert.equal(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } })
  assert.is(parseChallenge('Negotiate abc'), null)
  assert.is(parseChallenge(null), null)
})

test.run()
