// The Kubernetes objects every plain-cluster target shares: a Deployment (image pinned
// by digest, OpenShift restricted-v2 securityContext, probes on /healthz and /readyz,
// shutdown timing that matches the runtime's drain), a Service on 8080, and an
// autoscaler when config.scaling.max asks for one. Typed with kubernetes-models, so a
// misspelt field fails `npm run typecheck`; the tests validate them against its schemas.
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler'
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment'
import type { IService } from 'kubernetes-models/v1/Service'
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap'
import type { IContainer } from 'kubernetes-models/v1/Container'
import type { IVolume } from 'kubernetes-models/v1/Volume'
import type { DeploySettings } from './settings.ts'

export interface FunctionDeploy {
  name: string
  /** '/accounts', or '/' for a function at the root. */
  route: string
  /** host/repository@sha256:... from dist/pushed.json. */
  image: string
  /** Commit the image was built from, or 'unknown'. */
  revision: string
  relFile: string
  settings: DeploySettings
}

export const PORT = 8080
export const PORT_NAME = 'http'
/** Answered by the runtime's core outside the function's routes, like /healthz. */
export const METRICS_PATH = '/metrics'

/** For a pod template: the prometheus.io annotations a Prometheus with the usual kubernetes-pods job reads. */
export function scrapeAnnotations(): Record<string, string> {
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(PORT), 'prometheus.io/path': METRICS_PATH }
}

export function labels(fn: FunctionDeploy, partOf: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': fn.name,
    'app.kubernetes.io/part-of': partOf,
    'app.kubernetes.io/managed-by': 'scratchfn',
  }
}

/** What the selector matches: fixed for the life of the Deployment (selectors cannot change). */
export function selector(fn: FunctionDeploy, partOf: string): Record<string, string> {
  return { 'app.kubernetes.io/name': fn.name, 'app.kubernetes.io/part-of': partOf }
}

/**
 * OpenShift's restricted-v2 SCC (and the Kubernetes "restricted" Pod Security
 * Standard): no fixed runAsUser, so OpenShift picks a UID from the project's range and
 * the image's GID 0 still reads every file.
 */
export const containerSecurity = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
} satisfies IContainer['securityContext']

export function resources(s: DeploySettings): NonNullable<IContainer['resources']> {
  // No CPU limit: throttling a function that bursts for a few ms only adds latency.
  return { requests: { cpu: s.cpu, memory: s.memory }, limits: { memory: s.memory } }
}

export function heapEnv(s: DeploySettings): Array<{ name: string; value: string }> {
  return s.heapLimitMb === null ? [] : [{ name: 'SCRATCHFN_HEAP_LIMIT_MB', value: String(s.heapLimitMb) }]
}

/**
 * config.trustedCA: OpenShift's Cluster Network Operator fills every ConfigMap labelled
 * config.openshift.io/inject-trusted-cabundle=true with the cluster's trusted CA bundle
 * (key ca-bundle.crt: the system CAs plus the proxy's trustedCA), and keeps it current. It
 * is mounted where Red Hat images keep it, /etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem,
 * which the runtime reads besides its own CA layer (runtime/core/tls-trust.c). Optional: on
 * a cluster that injects nothing the pod still starts, with the image's CAs alone.
 */
export const TRUSTED_CA = { dir: '/etc/pki/ca-trust/extracted/pem', file: 'tls-ca-bundle.pem', key: 'ca-bundle.crt', volume: 'trusted-ca' }

export function trustedCaConfigMapName(fn: FunctionDeploy): string {
  return `${fn.name}-trusted-ca`
}

export function trustedCaConfigMap(fn: FunctionDeploy, partOf: string): IConfigMap | null {
  if (!fn.settings.trustedCA) return null
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: trustedCaConfigMapName(fn),
      labels: { ...labels(fn, partOf), 'config.openshift.io/inject-trusted-cabundle': 'true' },
    },
  }
}

export function trustedCaVolumes(fn: FunctionDeploy): { volumes?: IVolume[] } {
  if (!fn.settings.trustedCA) return {}
  return {
    volumes: [
      {
        name: TRUSTED_CA.volume,
        configMap: { name: trustedCaConfigMapName(fn), items: [{ key: TRUSTED_CA.key, path: TRUSTED_CA.file }], optional: true },
      },
    ],
  }
}

export function trustedCaMounts(fn: FunctionDeploy): Pick<IContainer, 'volumeMounts'> {
  return fn.settings.trustedCA ? { volumeMounts: [{ name: TRUSTED_CA.volume, mountPath: TRUSTED_CA.dir, readOnly: true }] } : {}
}

export function container(fn: FunctionDeploy): IContainer {
  const s = fn.settings
  const probe = (path: string) => ({ httpGet: { path, port: PORT_NAME } })
  return {
    name: fn.name,
    image: fn.image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ name: PORT_NAME, containerPort: PORT, protocol: 'TCP' }],
    env: [
      // A scratch image has no shell for a preStop `sleep`, so the runtime waits itself.
      { name: 'SCRATCHFN_DRAIN_DELAY_MS', value: String(s.drainDelayMs) },
      { name: 'SCRATCHFN_GRACE_MS', value: String(s.graceMs) },
      ...heapEnv(s),
    ],
    resources: resources(s),
    // The runtime starts in milliseconds; 30 s of startup allowance covers a slow node.
    startupProbe: { ...probe('/healthz'), periodSeconds: 1, failureThreshold: 30, timeoutSeconds: 1 },
    livenessProbe: { ...probe('/healthz'), periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 2 },
    readinessProbe: { ...probe('/readyz'), periodSeconds: 5, failureThreshold: 2, timeoutSeconds: 2 },
    securityContext: containerSecurity,
    ...trustedCaMounts(fn),
  }
}

export function deployment(fn: FunctionDeploy, partOf: string): IDeployment {
  const all = labels(fn, partOf)
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: fn.name, labels: all, annotations: annotations(fn) },
    spec: {
      // With an autoscaler the HPA owns the count; a fixed one would fight it on every apply.
      ...(fn.settings.maxScale !== undefined && fn.settings.maxScale > fn.settings.minScale ? {} : { replicas: fn.settings.minScale }),
      revisionHistoryLimit: 3,
      selector: { matchLabels: selector(fn, partOf) },
      // Start the new pod before stopping an old one: no gap in a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: all, annotations: { ...annotations(fn), ...scrapeAnnotations() } },
        spec: {
          containers: [container(fn)],
          ...trustedCaVolumes(fn),
          terminationGracePeriodSeconds: fn.settings.terminationGraceSeconds,
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          // A function calls no Kubernetes API, and service links only add environment noise.
          automountServiceAccountToken: false,
          enableServiceLinks: false,
        },
      },
    },
  }
}

export function service(fn: FunctionDeploy, partOf: string): IService {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: fn.name, labels: labels(fn, partOf) },
    spec: {
      type: 'ClusterIP',
      selector: selector(fn, partOf),
      ports: [{ name: PORT_NAME, port: PORT, targetPort: PORT_NAME, protocol: 'TCP' }],
    },
  }
}

/** Only when config.scaling.max is above min: scales on CPU between them. */
export function autoscaler(fn: FunctionDeploy, partOf: string): IHorizontalPodAutoscaler | null {
  const { minScale, maxScale } = fn.settings
  if (maxScale === undefined || maxScale <= minScale) return null
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: fn.name, labels: labels(fn, partOf) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: fn.name },
      minReplicas: minScale,
      maxReplicas: maxScale,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  }
}

export function annotations(fn: FunctionDeploy): Record<string, string> {
  return { 'scratchfn.dev/source': fn.relFile, 'scratchfn.dev/revision': fn.revision, 'scratchfn.dev/route': fn.route }
}
