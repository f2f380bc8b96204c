// Finds the credentials for a registry where a CI job or a developer already put them,
// in the order podman reads them, with explicit environment variables first:
//   1. SCRATCHFN_REGISTRY_USER + SCRATCHFN_REGISTRY_PASSWORD
//   2. $REGISTRY_AUTH_FILE
//   3. podman's auth.json: $XDG_RUNTIME_DIR/containers/auth.json, then ~/.config/containers/auth.json
//   4. docker's config.json ($DOCKER_CONFIG or ~/.docker): `auths`, then a credential helper
// Entries may be keyed by host or by host/namespace (podman's per-namespace logins);
// the most specific key wins. Nothing here is ever printed but the user name and source.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

export interface Credentials {
  username: string
  password: string
  /** An OAuth2 refresh token (docker's `identitytoken`), exchanged at the token realm. */
  identityToken?: string
  /** Where they came from, for messages: '$SCRATCHFN_REGISTRY_PASSWORD', '~/.docker/config.json'. */
  source: string
}

export interface CredentialLookup {
  /** The registry host as the user wrote it: 'quay.io', '127.0.0.1:5000'. */
  host: string
  /** The repository, for namespace-scoped entries: 'team/hello'. */
  repository: string
  env?: NodeJS.ProcessEnv
  home?: string
}

const known = new Set(['host', 'repository', 'env', 'home'])

export function findCredentials(lookup: CredentialLookup): Credentials | null {
  for (const key of Object.keys(lookup)) if (!known.has(key)) throw new TypeError(`findCredentials: unknown option '${key}'`)
  const env = lookup.env ?? process.env
  const home = lookup.home ?? env.HOME ?? homedir()
  const tilde = (path: string) => (path.startsWith(home + '/') ? '~' + path.slice(home.length) : path)

  const user = env.SCRATCHFN_REGISTRY_USER
  const password = env.SCRATCHFN_REGISTRY_PASSWORD
  if (user || password) {
    if (!user || !password)
      throw new Error('push: set both SCRATCHFN_REGISTRY_USER and SCRATCHFN_REGISTRY_PASSWORD, or neither (to use a login file)')
    return { username: user, password, source: '$SCRATCHFN_REGISTRY_USER/$SCRATCHFN_REGISTRY_PASSWORD' }
  }
  const keys = candidateKeys(lookup.host, lookup.repository)
  if (env.REGISTRY_AUTH_FILE) {
    // Set on purpose, so a missing file is a mistake worth stopping for.
    if (!existsSync(env.REGISTRY_AUTH_FILE))
      throw new Error(
        `push: $REGISTRY_AUTH_FILE names ${env.REGISTRY_AUTH_FILE}, which does not exist; log in with \`podman login --authfile ${env.REGISTRY_AUTH_FILE} ${lookup.host}\` or unset it`,
      )
    const found = fromAuthsFile(env.REGISTRY_AUTH_FILE, keys, `$REGISTRY_AUTH_FILE (${env.REGISTRY_AUTH_FILE})`)
    if (found) return found
  }
  const podmanFiles = [
    env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'containers/auth.json') : '',
    join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers/auth.json'),
  ]
  for (const file of podmanFiles) {
    if (!file || !existsSync(file)) continue
    const found = fromAuthsFile(file, keys, tilde(file))
    if (found) return found
  }
  const dockerFile = join(env.DOCKER_CONFIG || join(home, '.docker'), 'config.json')
  if (existsSync(dockerFile)) {
    const config = readJson(dockerFile)
    const found = fromAuths(config, keys, tilde(dockerFile))
    if (found) return found
    const helpers = (config.credHelpers ?? {}) as Record<string, string>
    const helper = keys.map((k) => helpers[k]).find(Boolean) ?? (config.credsStore as string | undefined)
    if (helper) return fromHelper(helper, lookup.host, tilde(dockerFile), env)
  }
  return null
}

/** 'host/a/b/name', 'host/a/b', 'host/a', 'host', plus Docker Hub's legacy key. */
export function candidateKeys(host: string, repository: string): string[] {
  const parts = repository.split('/').filter(Boolean)
  const keys: string[] = []
  for (let n = parts.length; n >= 0; n--) keys.push([host, ...parts.slice(0, n)].join('/'))
  if (host === 'docker.io' || host === 'index.docker.io' || host === 'registry-1.docker.io') keys.push('index.docker.io', 'docker.io')
  return keys
}

/** Login files write keys as 'host', 'https://host', 'https://host/v1/'. */
function normalizeKey(key: string): string {
  return key
    .replace(/^https?:\/\//, '')
    .replace(/\/v[12]\/?$/, '')
    .replace(/\/+$/, '')
}

function readJson(file: string): Record<string, any> {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`push: ${file} is not valid JSON (${(err as Error).message}); fix it or log in again`)
  }
}

function fromAuthsFile(file: string, keys: string[], source: string): Credentials | null {
  return fromAuths(readJson(file), keys, source)
}

function fromAuths(config: Record<string, any>, keys: string[], source: string): Credentials | null {
  const auths = new Map<string, Record<string, string>>()
  for (const [key, entry] of Object.entries(config.auths ?? {})) auths.set(normalizeKey(key), entry as Record<string, string>)
  for (const key of keys) {
    const entry = auths.get(key)
    if (!entry) continue
    let { username = '', password = '' } = entry
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon < 0)
        throw new Error(`push: the '${key}' entry in ${source} has an 'auth' that is not base64 of user:password; log in again`)
      username = decoded.slice(0, colon)
      password = decoded.slice(colon + 1)
    }
    if (entry.identitytoken) return { username, password, identityToken: entry.identitytoken, source }
    // An entry with no secret (docker writes {} when a helper holds it) falls through to the helper.
    if (username || password) return { username, password, source }
  }
  return null
}

/** The docker credential helper protocol: `docker-credential-<name> get`, the host on stdin. */
function fromHelper(name: string, host: string, source: string, env: NodeJS.ProcessEnv): Credentials | null {
  const program = `docker-credential-${name}`
  const run = spawnSync(program, ['get'], { input: host, encoding: 'utf8', env, timeout: 30_000 })
  if (run.error)
    throw new Error(
      `push: ${source} names the credential helper '${name}', but ${program} cannot run (${(run.error as NodeJS.ErrnoException).code ?? run.error.message}); install it, or remove credsStore/credHelpers from ${source}`,
    )
  if (run.status !== 0) {
    if (/not found/i.test(run.stdout + run.stderr)) return null
    throw new Error(`push: ${program} get failed for ${host}: ${(run.stderr || run.stdout).trim()}`)
  }
  const out = JSON.parse(run.stdout) as { Username?: string; Secret?: string }
  const from = `${program} (named in ${source})`
  // '<token>' as the user name marks an identity token (the docker helper convention).
  if (out.Username === '<token>') return { username: '', password: '', identityToken: out.Secret ?? '', source: from }
  return { username: out.Username ?? '', password: out.Secret ?? '', source: from }
}
