// The platforms an image is built for, named as OCI names them (os/architecture). Each
// gets its own runtime binary; the function's bytecode does not depend on the CPU, so a
// function's image index lists one manifest per platform over the same function layer.
// The order here is the order of the index's manifests and of every report.
export const PLATFORMS = ['linux/amd64', 'linux/arm64'] as const
export type Platform = (typeof PLATFORMS)[number]

/** The OCI architecture of a platform: 'amd64', 'arm64' (also Debian's name for it). */
export function architectureOf(platform: Platform): string {
  return platform.slice(platform.indexOf('/') + 1)
}

const NODE_ARCH: Record<string, Platform> = { x64: 'linux/amd64', arm64: 'linux/arm64' }

/** This machine's platform: the one whose runtime musl-gcc builds natively and the tests run directly. */
export function hostPlatform(): Platform {
  const platform = NODE_ARCH[process.arch]
  if (!platform || process.platform !== 'linux') {
    throw new Error(`scratchfn builds on linux/amd64 or linux/arm64, not on ${process.platform}/${process.arch}`)
  }
  return platform
}

/** A `--platform` value: 'all', or platforms separated by commas; returned in PLATFORMS order, each once. */
export function parsePlatforms(text: string): Platform[] {
  const words = text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean)
  if (words.length === 1 && words[0] === 'all') return [...PLATFORMS]
  const unknown = words.filter((w) => !(PLATFORMS as readonly string[]).includes(w))
  if (words.length === 0 || unknown.length > 0) {
    throw new Error(
      `--platform: '${unknown[0] ?? text}' is not a platform scratchfn builds; write one of ${PLATFORMS.join(', ')}, several separated by commas, or all`,
    )
  }
  return PLATFORMS.filter((p) => words.includes(p))
}
