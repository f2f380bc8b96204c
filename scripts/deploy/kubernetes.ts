// Plain Kubernetes: one Ingress for every function, one path each (Prefix matching is
// per path segment, so /accounts never catches /accountsx), optionally on one host.
// TLS and the ingress class are left to the cluster's defaults.
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress'
import { PORT_NAME, type FunctionDeploy } from './manifests.ts'

export function ingress(fns: FunctionDeploy[], partOf: string, host: string | undefined): IIngress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: partOf, labels: { 'app.kubernetes.io/part-of': partOf, 'app.kubernetes.io/managed-by': 'scratchfn' } },
    spec: {
      rules: [
        {
          ...(host ? { host } : {}),
          http: {
            // Longest first, so a reader sees which prefix wins (controllers pick the longest anyway).
            paths: [...fns]
              .sort((a, b) => b.route.length - a.route.length)
              .map((fn) => ({
                path: fn.route,
                pathType: 'Prefix',
                backend: { service: { name: fn.name, port: { name: PORT_NAME } } },
              })),
          },
        },
      ],
    },
  }
}
