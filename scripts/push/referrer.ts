// The SBOM as an OCI 1.1 referrer of its image: an artifact manifest (artifactType
// application/spdx+json, the empty config, the SBOM as its one layer, `subject` = the
// image manifest) and, for registries without the referrers API, the index that the
// referrers tag scheme keeps at tag sha256-<hex of the subject digest>. Built from bytes
// alone (created comes from the SBOM), so a re-push sends the same digests.
import { MEDIA, json, type Descriptor } from '../image/oci-layout.ts'
import { sha256 } from '../image/layer.ts'
import { SBOM_FILE, SPDX_MEDIA_TYPE } from '../sbom/sbom.ts'

export const EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json'
/** The empty config, `{}`: its digest is fixed, and every artifact shares the one blob. */
export const EMPTY_CONFIG = Buffer.from('{}')

export interface Referrer {
  /** The blobs to upload first: the empty config, then the SBOM. */
  blobs: Array<{ role: string; digest: string; size: number; data: Buffer }>
  manifest: Descriptor & { bytes: Buffer; artifactType: string }
}

export function sbomReferrer(subject: Descriptor, sbom: Buffer): Referrer {
  const created = (JSON.parse(sbom.toString('utf8')) as { creationInfo?: { created?: string } }).creationInfo?.created
  const config = { mediaType: EMPTY_MEDIA_TYPE, digest: sha256(EMPTY_CONFIG), size: EMPTY_CONFIG.length }
  const layer = {
    mediaType: SPDX_MEDIA_TYPE,
    digest: sha256(sbom),
    size: sbom.length,
    annotations: { 'org.opencontainers.image.title': SBOM_FILE },
  }
  const annotations = created ? { 'org.opencontainers.image.created': created } : undefined
  const bytes = json({
    schemaVersion: 2,
    mediaType: MEDIA.manifest,
    artifactType: SPDX_MEDIA_TYPE,
    config,
    layers: [layer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    ...(annotations ? { annotations } : {}),
  })
  return {
    blobs: [
      { role: 'sbom config', ...config, data: EMPTY_CONFIG },
      { role: 'sbom', digest: layer.digest, size: layer.size, data: sbom },
    ],
    manifest: {
      mediaType: MEDIA.manifest,
      digest: sha256(bytes),
      size: bytes.length,
      artifactType: SPDX_MEDIA_TYPE,
      ...(annotations ? { annotations } : {}),
      bytes,
    },
  }
}

/** The referrers tag scheme's tag for a subject: 'sha256-<hex>'. */
export const fallbackTag = (subjectDigest: string) => subjectDigest.replace(':', '-')

/**
 * The index to put at the fallback tag: the one already there (null when none) plus this
 * referrer, unless it lists it already. Returns null when nothing needs to change.
 */
export function fallbackIndex(existing: Buffer | null, referrer: Referrer['manifest']): Buffer | null {
  const entry = {
    mediaType: referrer.mediaType,
    digest: referrer.digest,
    size: referrer.size,
    artifactType: referrer.artifactType,
    ...(referrer.annotations ? { annotations: referrer.annotations } : {}),
  }
  const index = existing
    ? (JSON.parse(existing.toString('utf8')) as { manifests?: Array<{ digest: string }> } & Record<string, unknown>)
    : { schemaVersion: 2, mediaType: MEDIA.index, manifests: [] }
  const manifests = index.manifests ?? []
  if (manifests.some((m) => m.digest === entry.digest)) return null
  return json({ ...index, manifests: [...manifests, entry] })
}
