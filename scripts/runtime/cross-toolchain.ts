// The release runtime for a CPU other than this machine's. The route is Debian's own
// cross compiler for that CPU (gcc-aarch64-linux-gnu: GCC 12, as the native gcc) with
// Debian's musl-dev built for that architecture: the same musl release (1.2.3-1) that
// musl-tools gives the native build, and the same musl-gcc.specs it ships, with its
// paths pointed at the unpacked package. The package is fetched by apt from the binary
// index of that architecture, pinned by sha256 in pinned-sources.ts, and unpacked under .scratchfn/sources/
// (debian-package.ts); it is never installed, so no `dpkg --add-architecture`. The
// Makefile then builds the same objects with the same flags, only with this compiler.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureSystemPackages } from '../shared/system-packages.ts'
import { architectureOf, type Platform } from '../shared/platforms.ts'
import { fetchDebianPackage, type DebianPackageOptions } from './debian-package.ts'
import { pinnedCrossMusl, pinsFile } from './pinned-sources.ts'

export type MuslPin = Pick<DebianPackageOptions, 'package' | 'version' | 'architecture' | 'suite' | 'sha256'>

interface CrossTarget {
  /** The prefix of the cross compiler's commands: aarch64-linux-gnu-gcc, aarch64-linux-gnu-ar. */
  gnu: string
  /** Debian's package of that compiler. */
  compiler: string
  /** musl's name of the target, as musl-dev's paths spell it. */
  musl: string
  /** Debian's musl-dev for the architecture: bookworm's, the release musl-tools links natively. */
  muslDev: MuslPin
}

// amd64 is here for a build on an arm64 machine, where amd64 is the foreign CPU.
const targets: Record<Platform, CrossTarget> = {
  'linux/amd64': {
    gnu: 'x86_64-linux-gnu',
    compiler: 'gcc-x86-64-linux-gnu',
    musl: 'x86_64-linux-musl',
    muslDev: pinnedCrossMusl.amd64,
  },
  'linux/arm64': {
    gnu: 'aarch64-linux-gnu',
    compiler: 'gcc-aarch64-linux-gnu',
    musl: 'aarch64-linux-musl',
    muslDev: pinnedCrossMusl.arm64,
  },
}

/** The musl-dev a cross build of `platform` links, as pinned (the SBOM names it). */
export function crossMuslPin(platform: Platform): MuslPin {
  return targets[platform].muslDev
}

export interface CrossToolchain {
  /** For make's TARGET_CC: the cross compiler with the specs file that makes it musl-gcc. */
  cc: string
  /** For make's TARGET_AR. */
  ar: string
  /** For make's TARGET_STRIP: the release binary is linked with symbols, then stripped. */
  strip: string
}

export interface CrossToolchainOptions {
  log?: (line: string) => void
  /** Where the package is unpacked (default .scratchfn/sources). */
  cacheDir?: string
}

export async function crossToolchain(platform: Platform, options: CrossToolchainOptions = {}): Promise<CrossToolchain> {
  const target = targets[platform]
  const log = options.log ?? ((line: string) => console.log(`runtime: ${line}`))
  ensureSystemPackages({ who: 'runtime', log, packages: [{ command: `${target.gnu}-gcc`, package: target.compiler }] })
  const tree = await fetchDebianPackage({
    ...target.muslDev,
    pinnedIn: pinsFile,
    log,
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
  })
  const shipped = join(tree, 'usr/lib', target.musl, 'musl-gcc.specs')
  if (!existsSync(shipped)) {
    throw new Error(
      `runtime: ${tree} has no usr/lib/${target.musl}/musl-gcc.specs; is ${pinsFile} pinning musl-dev for ${architectureOf(platform)}?`,
    )
  }
  // Inside the tree, whose folder name carries the pin: another pin is another path, so
  // another compiler command, and make rebuilds every object.
  const specs = join(tree, 'scratchfn-musl-gcc.specs')
  const text = readFileSync(shipped, 'utf8')
    .replaceAll(`/usr/include/${target.musl}`, `${tree}/usr/include/${target.musl}`)
    .replaceAll(`/usr/lib/${target.musl}`, `${tree}/usr/lib/${target.musl}`)
  if (!existsSync(specs) || readFileSync(specs, 'utf8') !== text) writeFileSync(specs, text)
  return { cc: `${target.gnu}-gcc -specs ${specs}`, ar: `${target.gnu}-ar`, strip: `${target.gnu}-strip` }
}
