// `npm run deploy -- --apply`: `oc apply -k dist/deploy` (or kubectl) once the
// manifests are written. Before applying, it checks that the CLI is there and logged in
// to a cluster that lets this account create the objects, so a CI job fails with what
// to do rather than with a wall of apply errors.
import { spawnSync } from 'node:child_process'
import type { Target } from './settings.ts'

export interface ApplyOptions {
  /** The folder holding kustomization.yaml. */
  dir: string
  /** As the user would type it, for messages ('dist/deploy'). */
  shownDir: string
  target: Target
  namespace?: string
  env?: NodeJS.ProcessEnv
}

export interface ApplyResult {
  cli: string
}

const known = new Set(['dir', 'shownDir', 'target', 'namespace', 'env'])

export function applyManifests(options: ApplyOptions): ApplyResult {
  for (const key of Object.keys(options)) if (!known.has(key)) throw new TypeError(`applyManifests: unknown option '${key}'`)
  const env = options.env ?? process.env
  // OpenShift's own CLI first for OpenShift; kubectl first elsewhere. Either can apply a Route.
  const order = options.target === 'openshift' ? ['oc', 'kubectl'] : ['kubectl', 'oc']
  const cli = order.find((c) => spawnSync('sh', ['-c', `command -v ${c}`], { env, stdio: 'ignore' }).status === 0)
  if (!cli) {
    throw new Error(
      `deploy --apply: neither oc nor kubectl is on PATH. Install the OpenShift CLI (\`oc\`: in the web console, ? > Command Line Tools) or kubectl, log in, and run again; or apply the written manifests yourself: oc apply -k ${options.shownDir}`,
    )
  }
  const ns = options.namespace ? ['--namespace', options.namespace] : []
  const resource = options.target === 'knative' ? 'services.serving.knative.dev' : 'deployments'
  const check = spawnSync(cli, ['auth', 'can-i', 'create', resource, ...ns, '--request-timeout=20s'], {
    env,
    encoding: 'utf8',
    timeout: 60_000,
  })
  const answer = (check.stdout ?? '').trim()
  if (check.status !== 0 && answer !== 'no') {
    const why = lastLine(check.stderr || check.stdout || String(check.error ?? ''))
    throw new Error(
      `deploy --apply: ${cli} is not logged in to a reachable cluster (${why}). Log in first: \`oc login --token=<token> --server=<api url>\` (the web console's "Copy login command" gives both), or point KUBECONFIG at a working context; then run again`,
    )
  }
  if (answer === 'no') {
    throw new Error(
      `deploy --apply: ${cli} is logged in, but this account may not create ${resource}${options.namespace ? ` in namespace ${options.namespace}` : ' in the current project'}; switch project with \`oc project <name>\` (or --namespace), or ask for the edit role there`,
    )
  }
  const apply = spawnSync(cli, ['apply', ...ns, '-k', options.dir], { env, stdio: 'inherit', timeout: 300_000 })
  if (apply.status !== 0)
    throw new Error(
      `deploy --apply: \`${cli} apply -k ${options.shownDir}\` failed (exit ${apply.status ?? apply.signal}); its messages are above`,
    )
  return { cli }
}

/** The CLI's own verdict: its last line, skipping client-go's log lines ('E1122 03:51:01 ...'). */
function lastLine(text: string): string {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^[EIWF]\d{4} /.test(l))
  return lines.at(-1)?.replace(/^error:\s*/i, '') ?? 'no answer'
}
