// Pushing to registries that want a login: htpasswd (Basic) auth on Debian's
// docker-registry, and token (Bearer) auth against a token service, with credentials
// from docker's config.json, $REGISTRY_AUTH_FILE (podman's format) or the environment.
// A wrong password stops at once with a message naming the user and where the password
// came from, and leaves no repository or tag behind.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runCli } from '../../support/cli.ts'
import { skopeo } from '../../support/podman.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'
import { checkTags, startRegistry, type TestRegistry } from '../../support/registry.ts'
import { startTokenServer, type TokenServer } from '../../support/token-server.ts'

let project: Project
let home: string
const cleanups: Array<() => Promise<void> | void> = []
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`
/** Runs push with HOME pointing at an empty folder, so no login file of the machine is read. */
const push = (host: string, env: Record<string, string> = {}) =>
  runCli(['push', '--root', project.root, '--registry', `${host}/team`, '--insecure', '--retries', '2'], {
    env: { HOME: home, XDG_RUNTIME_DIR: join(home, 'run'), XDG_CONFIG_HOME: join(home, '.config'), ...env },
  })
const digest = (name: string) => project.json(`dist/images/${name}/index.json`).manifests[0].digest as string

const test = suite('push: registry logins (Basic and Bearer)')

test.before(() => {
  project = tempProject([fixture('greet'), fixture('plain')])
  const built = project.build()
  if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
  home = mkdtempSync(join(tmpdir(), 'scratchfn-home-'))
})
test.after(async () => {
  for (const c of cleanups.reverse()) await c()
  rmSync(home, { recursive: true, force: true })
  project?.remove()
})

let htpasswd: TestRegistry
test('htpasswd registry, no credentials anywhere: a clear error that says how to log in, and nothing is pushed', async () => {
  htpasswd = await startRegistry({ users: { alice: 'right-password' } })
  cleanups.push(() => htpasswd.destroy())
  const run = await push(htpasswd.host)
  assert.is(run.code, 1, run.output)
  assert.match(
    run.stderr,
    new RegExp(
      `push: ${htpasswd.host.replace(/\./g, '\\.')} needs credentials \\(Basic realm="scratchfn-test"\\).*podman login ${htpasswd.host.replace(/\./g, '\\.')}.*SCRATCHFN_REGISTRY_USER`,
    ),
  )
  assert.not.match(run.stderr, /retrying/)
})

test('a wrong password fails at once, naming the user and the source, and leaves no repository or tag', async () => {
  await htpasswd.settle()
  const before = htpasswd.requests().length
  const run = await push(htpasswd.host, { SCRATCHFN_REGISTRY_USER: 'alice', SCRATCHFN_REGISTRY_PASSWORD: 'wrong-password' })
  assert.is(run.code, 1, run.output)
  assert.match(
    run.stderr,
    /refused the credentials of user 'alice' from \$SCRATCHFN_REGISTRY_USER\/\$SCRATCHFN_REGISTRY_PASSWORD \(UNAUTHORIZED: authentication required.*\); check them, or log in again with `podman login /,
  )
  assert.not.match(run.stderr, /wrong-password/, 'the password is never printed')
  assert.not.match(run.stderr, /retrying/)
  // Not retried: one unauthenticated request and one with the wrong password.
  await htpasswd.settle()
  assert.ok(htpasswd.requests().length - before <= 3, JSON.stringify(htpasswd.requests().slice(before)))
  const { tags } = await checkTags(htpasswd.url, basic('alice', 'right-password'))
  assert.equal(tags, {})
})

test('with the login docker writes to ~/.docker/config.json: pushes, and skopeo pulls back the same digests', async () => {
  mkdirSync(join(home, '.docker'), { recursive: true })
  writeFileSync(
    join(home, '.docker/config.json'),
    JSON.stringify({ auths: { [htpasswd.host]: { auth: Buffer.from('alice:right-password').toString('base64') } } }),
  )
  try {
    const run = await push(htpasswd.host)
    assert.is(run.code, 0, run.output)
    // Per image two runtime layers, the CA layer, the function layer, two configs, the SBOM and its empty config.
    assert.match(run.stdout, /uploaded 12 blobs .*, mounted 4, already there 0/)
    const info = JSON.parse(
      (await skopeo(['inspect', '--tls-verify=false', '--creds', 'alice:right-password', `docker://${htpasswd.host}/team/greet:latest`]))
        .stdout,
    )
    assert.is(info.Digest, digest('greet'))
    assert.equal((await checkTags(htpasswd.url, basic('alice', 'right-password'))).problems, [])
  } finally {
    rmSync(join(home, '.docker'), { recursive: true, force: true })
  }
})

let tokens: TokenServer
let bearer: TestRegistry
test('token auth: fetches a Bearer token from the challenge realm with the login from $REGISTRY_AUTH_FILE, mounting across repositories', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-token-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  tokens = await startTokenServer(dir, { bob: 'token-password' })
  cleanups.push(() => tokens.close())
  bearer = await startRegistry({ token: tokens })
  cleanups.push(() => bearer.destroy())
  const authFile = join(dir, 'auth.json')
  // podman's format, with a namespace-scoped entry that must win over the host-wide one.
  writeFileSync(
    authFile,
    JSON.stringify({
      auths: {
        [bearer.host]: { auth: Buffer.from('bob:stale-password').toString('base64') },
        [`${bearer.host}/team`]: { auth: Buffer.from('bob:token-password').toString('base64') },
      },
    }),
  )
  const run = await push(bearer.host, { REGISTRY_AUTH_FILE: authFile })
  assert.is(run.code, 0, run.output)
  assert.match(run.stdout, /mounted   runtime amd64 .* from team\/greet/)
  assert.match(run.stdout, /mounted   runtime arm64 .* from team\/greet/)
  assert.ok(tokens.requests.length > 0 && tokens.requests.every((r) => r.user === 'bob' && r.granted), JSON.stringify(tokens.requests))
  assert.ok(
    tokens.requests.some((r) => r.scopes.includes('repository:team/plain:pull,push') && r.scopes.includes('repository:team/greet:pull')),
    'the mount asks for pull on the source repository',
  )
  await bearer.settle()
  const mount = bearer.requests().find((r) => r.method === 'POST' && r.path.includes('mount='))
  assert.is(mount?.status, 201)
  // Read back as a client with its own token: both repositories carry the build's tags.
  for (const name of ['greet', 'plain']) {
    const res = await fetch(`${tokens.realm}?service=${tokens.service}&scope=repository:team/${name}:pull`, {
      headers: { authorization: basic('bob', 'token-password') },
    })
    const { token } = (await res.json()) as { token: string }
    const list = (await (
      await fetch(`${bearer.url}/v2/team/${name}/tags/list`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { tags: string[] }
    assert.equal(
      // sha256-<hex> is the SBOM's referrers tag.
      list.tags.filter((t) => !t.startsWith('sha256-')).sort(),
      project
        .json(`dist/images/${name}/index.json`)
        .manifests.map((m: any) => m.annotations['org.opencontainers.image.ref.name'])
        .sort(),
    )
  }
})

test('token auth with a wrong password: the token service refuses, and push says who and from where, without retrying', async () => {
  const asked = tokens.requests.length
  const run = await push(bearer.host, { SCRATCHFN_REGISTRY_USER: 'bob', SCRATCHFN_REGISTRY_PASSWORD: 'nope' })
  assert.is(run.code, 1, run.output)
  assert.match(
    run.stderr,
    /refused the credentials of user 'bob' from \$SCRATCHFN_REGISTRY_USER\/\$SCRATCHFN_REGISTRY_PASSWORD \(token service http:\/\/127\.0\.0\.1:\d+\/token: UNAUTHORIZED: wrong user name or password\)/,
  )
  assert.is(tokens.requests.length - asked, 1, 'asked the token service once')
})

test.run()
