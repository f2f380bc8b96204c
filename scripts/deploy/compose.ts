// `npm run deploy -- --target compose`: one compose file (dist/deploy/compose.yaml) for
// `docker stack deploy` (Swarm) and podman-compose. One service per function: the image
// pinned by digest, replicas from config.scaling, the runtime probing itself as the
// health check, start-first updates, a stop grace past the runtime's drain and grace,
// the restricted security settings, and one published port per function (there is no
// shared router, so each function is reached on its own port, from --port upwards in
// name order; put a reverse proxy in front for one host and paths).
// `version: "3.8"` because `docker stack deploy` still requires it; the file uses only
// keys that both Swarm's 3.8 schema and the compose spec define.
import { HEALTHCHECK } from '../image/image-spec.ts'
import { annotations, heapEnv, PORT, type FunctionDeploy } from './manifests.ts'

/** The image's user (scripts/image/image-spec.ts): non-root, group 0, stated so an override cannot make it root. */
const USER = '65532:0'

export interface ComposeService {
  image: string
  user: string
  read_only: boolean
  cap_drop: string[]
  environment: Record<string, string>
  ports: Array<{ target: number; published: number; protocol: 'tcp' }>
  healthcheck: { test: string[]; interval: string; timeout: string; retries: number; start_period: string }
  stop_grace_period: string
  labels: Record<string, string>
  deploy: {
    replicas: number
    update_config: { parallelism: number; order: 'start-first'; failure_action: 'rollback' }
    rollback_config: { parallelism: number; order: 'start-first' }
    restart_policy: { condition: 'any' }
    resources: { limits: { memory: string }; reservations: { memory: string; cpus: string } }
  }
}

export interface ComposeFile {
  version: '3.8'
  services: Record<string, ComposeService>
}

/** '10m' -> '0.01', '2' -> '2': Kubernetes CPU to Docker's cpus. */
export function dockerCpus(cpu: string): string {
  const cores = cpu.endsWith('m') ? Number(cpu.slice(0, -1)) / 1000 : Number(cpu)
  return String(Number(cores.toFixed(3)))
}

/** '32Mi' -> '32M' (Docker's M is MiB, as in `docker run -m`); '1Gi' -> '1G'; '128M' -> '122070k'. */
function dockerMemory(bytes: number): string {
  for (const [unit, size] of [
    ['G', 1024 ** 3],
    ['M', 1024 ** 2],
    ['k', 1024],
  ] as const)
    if (bytes % size === 0) return `${bytes / size}${unit}`
  return `${Math.ceil(bytes / 1024)}k`
}

export function composeService(fn: FunctionDeploy, published: number): ComposeService {
  const s = fn.settings
  const h = HEALTHCHECK
  const memory = dockerMemory(s.memoryBytes)
  return {
    image: fn.image,
    user: USER,
    read_only: true,
    cap_drop: ['ALL'],
    environment: Object.fromEntries(
      [
        // Swarm takes a stopping task out of its load balancer before SIGTERM, but other
        // nodes' routing meshes learn it late: the listener stays open meanwhile.
        { name: 'SCRATCHFN_DRAIN_DELAY_MS', value: String(s.drainDelayMs) },
        { name: 'SCRATCHFN_GRACE_MS', value: String(s.graceMs) },
        ...heapEnv(s),
      ].map((e) => [e.name, e.value]),
    ),
    ports: [{ target: PORT, published, protocol: 'tcp' }],
    healthcheck: {
      test: h.test,
      interval: `${h.intervalSeconds}s`,
      timeout: `${h.timeoutSeconds}s`,
      retries: h.retries,
      start_period: `${h.startPeriodSeconds}s`,
    },
    // Drain and grace both run from SIGTERM, so the runtime is gone by the grace; the
    // margin past drain + grace means the engine's SIGKILL never lands on a runtime that
    // is still answering.
    stop_grace_period: `${Math.ceil((s.drainDelayMs + s.graceMs) / 1000) + 5}s`,
    labels: annotations(fn),
    deploy: {
      replicas: s.minScale,
      update_config: { parallelism: 1, order: 'start-first', failure_action: 'rollback' },
      rollback_config: { parallelism: 1, order: 'start-first' },
      restart_policy: { condition: 'any' },
      resources: { limits: { memory }, reservations: { memory, cpus: dockerCpus(s.cpu) } },
    },
  }
}

/** Services in name order, published on firstPort, firstPort + 1, ... */
export function composeFile(fns: FunctionDeploy[], firstPort: number): ComposeFile {
  const sorted = [...fns].sort((a, b) => (a.name < b.name ? -1 : 1))
  return { version: '3.8', services: Object.fromEntries(sorted.map((fn, i) => [fn.name, composeService(fn, firstPort + i)])) }
}
