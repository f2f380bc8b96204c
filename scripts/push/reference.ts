// Where `npm run push -- --registry HOST[:PORT]/NAMESPACE` sends images: the registry
// host, the namespace every function's repository goes under, and the URL the OCI
// distribution API answers on. Parsed once, so every message names the same thing.

export interface RegistryTarget {
  /** 'quay.io', '127.0.0.1:5000': what credentials are stored under and messages name. */
  host: string
  /** 'team' or 'team/sub', or '' for repositories at the top level. */
  namespace: string
  /** 'https://quay.io' (or http:// with --insecure); Docker Hub's API lives on another host. */
  baseUrl: string
  insecure: boolean
}

// The distribution spec's rule for a path component of a repository name.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:]+\])(?::\d{1,5})?$/

const example = 'write HOST[:PORT]/NAMESPACE, e.g. --registry quay.io/my-team or --registry 127.0.0.1:5000/dev'

export function parseRegistry(text: string, insecure = false): RegistryTarget {
  const value = text
    .trim()
    .replace(/^(?:https?|docker):\/\//, '')
    .replace(/\/+$/, '')
  if (!value) throw new Error(`--registry is required: ${example}`)
  const [host, ...path] = value.split('/')
  if (!HOST.test(host)) throw new Error(`--registry '${text}': '${host}' is not a registry host; ${example}`)
  // Like docker and podman: a first part with no '.', ':' or 'localhost' is a namespace on Docker Hub, not a host.
  if (!/[.:]/.test(host) && host !== 'localhost') {
    throw new Error(
      `--registry '${text}' names no registry host ('${host}' would be a Docker Hub namespace); ${example}, or docker.io/${value}`,
    )
  }
  for (const part of path) {
    if (!COMPONENT.test(part))
      throw new Error(`--registry '${text}': namespace part '${part}' must be lower-case letters and digits, separated by '.', '_' or '-'`)
  }
  const apiHost = host === 'docker.io' || host === 'index.docker.io' ? 'registry-1.docker.io' : host
  return { host, namespace: path.join('/'), baseUrl: `${insecure ? 'http' : 'https'}://${apiHost}`, insecure }
}

/** The repository of one function: '<namespace>/<name>'. */
export function repositoryOf(target: RegistryTarget, name: string): string {
  return target.namespace ? `${target.namespace}/${name}` : name
}

/** What pods pull: 'quay.io/team/hello@sha256:...'. */
export function imageRef(target: RegistryTarget, name: string, digest: string): string {
  return `${target.host}/${repositoryOf(target, name)}@${digest}`
}
