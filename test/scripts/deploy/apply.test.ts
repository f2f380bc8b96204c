// `npm run deploy -- --apply` when the cluster side is not ready: no oc or kubectl on
// PATH, or a CLI that is not logged in to a reachable cluster. Each gives one clear
// error that says what to do, and the manifests are written all the same.
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { runCli } from '../../support/cli.ts'
import { freePort } from '../../support/process.ts'
import { fixture, tempProject, type Project } from '../../support/project.ts'

let project: Project
let dir: string
const deploy = (env: Record<string, string>) =>
  runCli(['deploy', '--root', project.root, '--host', 'fns.apps.example.com', '--apply'], { env })

const test = suite('deploy --apply: CLI missing or not logged in')

test.before(() => {
  project = tempProject([fixture('plain')])
  const built = project.build()
  if (built.code !== 0) throw new Error(`build failed:\n${built.output}`)
  const digest = project.json('dist/images/plain/index.json').manifests[0].digest
  writeFileSync(join(project.root, 'dist/pushed.json'), JSON.stringify({ plain: `registry.example.com/team/plain@${digest}` }))
  dir = mkdtempSync(join(tmpdir(), 'scratchfn-apply-'))
})
test.after(() => {
  rmSync(dir, { recursive: true, force: true })
  project?.remove()
})

test('neither oc nor kubectl on PATH: says so, how to get one, and how to apply by hand', async () => {
  // A PATH with a shell and nothing else.
  const bin = join(dir, 'bin')
  mkdirSync(bin)
  symlinkSync('/bin/sh', join(bin, 'sh'))
  const run = await deploy({ PATH: bin })
  assert.is(run.code, 1, run.output)
  assert.match(
    run.stderr,
    /deploy --apply: neither oc nor kubectl is on PATH\. Install the OpenShift CLI .* log in, and run again; or apply the written manifests yourself: oc apply -k dist\/deploy/,
  )
  assert.ok(existsSync(join(project.root, 'dist/deploy/plain/route.yaml')), 'the manifests are written before applying')
})

test('a CLI whose cluster does not answer: "not logged in", with the login command to run', async () => {
  const port = await freePort() // nothing listens there
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: gone',
      'clusters: [{name: gone, cluster: {server: "https://127.0.0.1:' + port + '"}}]',
      'contexts: [{name: gone, context: {cluster: gone, user: someone}}]',
      'users: [{name: someone, user: {token: not-a-real-token}}]',
      '',
    ].join('\n'),
  )
  const run = await deploy({ KUBECONFIG: kubeconfig })
  assert.is(run.code, 1, run.output)
  assert.match(
    run.stderr,
    /deploy --apply: (oc|kubectl) is not logged in to a reachable cluster \(.*127\.0\.0\.1:\d+.*\)\. Log in first: `oc login --token=<token> --server=<api url>`/,
  )
})

test.run()
