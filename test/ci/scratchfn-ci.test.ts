// The CI pipeline users copy: ci/scratchfn-ci.sh run for real on a throwaway project
// against a real registry (build with the size report in the job summary, then push and
// deploy, only on the release branch), and ci/github/scratchfn.yml running those same
// stages with the settings the script reads.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { parse } from 'yaml'
import { repoRoot } from '../support/paths.ts'
import { fixture, tempProject, type Project } from '../support/project.ts'
import { checkTags, startRegistry, type TestRegistry } from '../support/registry.ts'

const script = join(repoRoot, 'ci/scratchfn-ci.sh')
let project: Project
let registry: TestRegistry
let dir: string

function ci(stages: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(GITHUB_|SCRATCHFN_|CI_|BRANCH_NAME|OPENSHIFT_)/.test(k)))
  return new Promise((resolve) => {
    const proc = spawn('bash', [script, ...stages], {
      env: { ...clean, SCRATCHFN_ROOT: project.root, SOURCE_DATE_EPOCH: '1700000000', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    proc.stdout.on('data', (c) => {
      output += c
    })
    proc.stderr.on('data', (c) => {
      output += c
    })
    proc.on('close', (code) => resolve({ code: code ?? 1, output }))
  })
}

const test = suite('CI template: ci/scratchfn-ci.sh and the GitHub workflow')

test.before(async () => {
  project = tempProject([fixture('greet'), fixture('plain')])
  registry = await startRegistry()
  dir = mkdtempSync(join(tmpdir(), 'scratchfn-ci-'))
})
test.after(async () => {
  await registry?.destroy()
  project?.remove()
  rmSync(dir, { recursive: true, force: true })
})

test('on main: build with the size report in the job summary, then push and deploy', async () => {
  const summaryFile = join(dir, 'summary-main.md')
  const run = await ci(['build', 'push', 'deploy'], {
    CI_BRANCH: 'main',
    GITHUB_STEP_SUMMARY: summaryFile,
    SCRATCHFN_REGISTRY: `${registry.host}/team`,
    SCRATCHFN_PUSH_FLAGS: '--insecure',
    SCRATCHFN_DEPLOY_HOST: 'fns.apps.example.com',
    SCRATCHFN_APPLY: '0',
  })
  assert.is(run.code, 0, run.output)
  const summary = readFileSync(summaryFile, 'utf8')
  assert.match(summary, /^## scratchfn image sizes$/m)
  assert.match(summary, /^\| function \| platform \| uncompressed \| compressed \|/m)
  for (const name of ['greet', 'plain']) {
    for (const platform of ['linux/amd64', 'linux/arm64']) assert.match(summary, new RegExp(`^\\| ${name} \\| ${platform} \\|`, 'm'))
    assert.match(summary, new RegExp(`"${name}": "${registry.host}/team/${name}@sha256:[0-9a-f]{64}"`))
  }
  const { problems, tags } = await checkTags(registry.url)
  assert.equal(problems, [])
  assert.equal(Object.keys(tags).sort(), ['team/greet', 'team/plain'])
  assert.ok(existsSync(join(project.root, 'dist/deploy/greet/route.yaml')))
  assert.match(
    readFileSync(join(project.root, 'dist/deploy/greet/deployment.yaml'), 'utf8'),
    new RegExp(`image: ${registry.host}/team/greet@sha256:`),
  )
})

test('on another branch: build runs, push and deploy are skipped and touch nothing', async () => {
  await registry.settle()
  const before = registry.requests().length
  rmSync(join(project.root, 'dist/deploy'), { recursive: true, force: true })
  const run = await ci(['build', 'push', 'deploy'], {
    CI_BRANCH: 'feature/x',
    SCRATCHFN_REGISTRY: `${registry.host}/team`,
    SCRATCHFN_PUSH_FLAGS: '--insecure',
    SCRATCHFN_DEPLOY_HOST: 'fns.apps.example.com',
  })
  assert.is(run.code, 0, run.output)
  assert.match(run.output, /scratchfn-ci: push skipped on branch 'feature\/x' \(push and deploy run on main only\)/)
  assert.match(run.output, /scratchfn-ci: deploy skipped on branch 'feature\/x'/)
  await registry.settle()
  assert.is(registry.requests().length, before)
  assert.not.ok(existsSync(join(project.root, 'dist/deploy')))
})

test('a size-gate failure fails the build stage, and its report still reaches the job summary', async () => {
  writeFileSync(join(project.root, 'size-baseline.json'), JSON.stringify({ functions: {} }))
  const accept = project.build(['--update-baseline'])
  assert.is(accept.code, 0, accept.output)
  const blob = Array.from({ length: 3000 }, (_, i) => ((i * 2654435761) >>> 0).toString(36).padStart(20, 'x')).join('')
  writeFileSync(
    join(project.root, 'functions/plain.ts'),
    readFileSync(fixture('plain'), 'utf8').replace('{ plain: true }', `{ plain: ${JSON.stringify(blob)} }`),
  )
  const summaryFile = join(dir, 'summary-gate.md')
  const run = await ci(['build', 'push'], {
    CI_BRANCH: 'main',
    GITHUB_STEP_SUMMARY: summaryFile,
    SCRATCHFN_REGISTRY: `${registry.host}/team`,
    SCRATCHFN_PUSH_FLAGS: '--insecure',
  })
  assert.is(run.code, 1, run.output)
  assert.match(readFileSync(summaryFile, 'utf8'), /\| plain \| .*FAIL: grew past the tolerance/)
  assert.not.match(run.output, /scratchfn-ci: push$/m, 'push does not run after a failed build')
})

test('the GitHub workflow runs the same stages in order, pushes and deploys only on main, and sets only settings the script reads', () => {
  const workflow = parse(readFileSync(join(repoRoot, 'ci/github/scratchfn.yml'), 'utf8'))
  assert.equal(workflow.on.push.branches, ['main'])
  assert.ok('pull_request' in workflow.on)
  const steps = workflow.jobs.ship.steps as Array<{ name?: string; run?: string; if?: string; env?: Record<string, string> }>
  const stages = steps.filter((s) => s.run?.startsWith('ci/scratchfn-ci.sh')).map((s) => s.run!.split(' ')[1])
  assert.equal(stages, ['test', 'build', 'push', 'deploy'])
  for (const step of steps.filter((s) => /scratchfn-ci\.sh (push|deploy)/.test(s.run ?? ''))) {
    assert.match(step.if ?? '', /github\.ref == 'refs\/heads\/main'/, step.name)
    assert.match(step.if ?? '', /github\.event_name != 'pull_request'/, step.name)
  }
  const read = new Set([...readFileSync(script, 'utf8').matchAll(/\$\{?([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]))
  // SCRATCHFN_REGISTRY_USER/PASSWORD are read by `npm run push` itself.
  const pushReads = new Set(
    [...readFileSync(join(repoRoot, 'scripts/push/credentials.ts'), 'utf8').matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]),
  )
  for (const step of steps) {
    for (const key of Object.keys({ ...step.env, ...workflow.jobs.ship.env }))
      assert.ok(read.has(key) || pushReads.has(key), `${key} is set by the workflow but read by nothing`)
  }
})

test.run()
