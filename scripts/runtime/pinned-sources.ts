// The one place that pins what the build fetches from Debian, each checked by sha256 before
// anything is unpacked: the third-party C the runtime is built from (the engine and the
// libraries it links; files of Debian source packages, trixie), then the binary packages:
// the CA certificates every image carries and the musl-dev a cross build links. Bumping one
// means changing its entry here;
// scripts/runtime/engine-source.ts says how the engine is built, c-libraries.ts fetches,
// patches and caches the libraries, runtime/Makefile compiles them.
import type { DebianSourceOptions } from './debian-source.ts'

export type PinnedSource = Pick<DebianSourceOptions, 'package' | 'version' | 'suite' | 'file' | 'sha256'>

/** Named in the error when a downloaded file does not match its pin. */
export const pinsFile = 'scripts/runtime/pinned-sources.ts'

export const pinnedSources = {
  /** QuickJS, the JavaScript engine (upstream's 2025-04-26 release as is). */
  quickjs: {
    package: 'quickjs',
    version: '2025.04.26-1',
    suite: 'trixie',
    file: 'quickjs_2025.04.26.orig.tar.xz',
    sha256: 'ec81da5b3249ed648dbc7df4a1654988910e66a118d9b71cb63534216efcfbbe',
  },
  /** mbedTLS 3.6 (LTS): TLS, X.509 and the math behind crypto.subtle. */
  mbedtls: {
    package: 'mbedtls',
    version: '3.6.6-0.1~deb13u1',
    suite: 'trixie',
    file: 'mbedtls_3.6.6.orig.tar.bz2',
    sha256: '8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a',
  },
  /** libsodium, for Ed25519 (which mbedTLS lacks); only its Ed25519 files are compiled. */
  libsodium: {
    package: 'libsodium',
    version: '1.0.18-1+deb13u1',
    suite: 'trixie',
    file: 'libsodium_1.0.18.orig.tar.gz',
    sha256: 'd59323c6b712a1519a5daf710b68f5e7fde57040845ffec53850911f10a5d4f4',
  },
  /** Debian's packaging of the same version: its patches (CVE-2025-69277) are applied to the tree above. */
  libsodiumDebian: {
    package: 'libsodium',
    version: '1.0.18-1+deb13u1',
    suite: 'trixie',
    file: 'libsodium_1.0.18-1+deb13u1.debian.tar.xz',
    sha256: '86110bbca36b16567bc35971486c4e6bd4aaf59e74310bc0faf76840ac4e2afe',
  },
  /** zlib: CompressionStream, DecompressionStream and fetch's gzip/deflate bodies. Only its orig tarball:
   * the Debian packaging adds no patch the runtime's eight files need. */
  zlib: {
    package: 'zlib',
    version: '1:1.3.dfsg+really1.3.1-1+deb13u1',
    suite: 'trixie',
    file: 'zlib_1.3.dfsg+really1.3.1.orig.tar.gz',
    sha256: '60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb',
  },
} as const satisfies Record<string, PinnedSource>

export interface PinnedPackage {
  package: string
  version: string
  suite: string
  /** The .deb as the archive names it. */
  file: string
  sha256: string
}

/** Debian binary packages whose files go into every image as they are (scripts/image/ca-certificates.ts). */
export const pinnedPackages = {
  /** Mozilla's CA list as Debian packages it: the image's CA layer, /etc/ssl/certs/ca-certificates.crt. */
  caCertificates: {
    package: 'ca-certificates',
    version: '20250419+deb13u1',
    suite: 'trixie',
    file: 'ca-certificates_20250419+deb13u1_all.deb',
    sha256: 'c10585ac22c7f617a73d394eea29ba71d0356f350ae973b19043d1b017f80f54',
  },
} as const satisfies Record<string, PinnedPackage>

/** A Debian binary package for one architecture, fetched from that architecture's index. */
export interface PinnedArchPackage {
  package: string
  version: string
  architecture: string
  suite: string
  sha256: string
}

/**
 * musl-dev for the CPU a cross build targets (scripts/runtime/cross-toolchain.ts): bookworm's
 * 1.2.3-1, the release `musl-tools` links natively, unpacked and never installed.
 */
export const pinnedCrossMusl = {
  amd64: {
    package: 'musl-dev',
    version: '1.2.3-1',
    architecture: 'amd64',
    suite: 'bookworm',
    sha256: '7c34f29a0c1aa12f6da1d25ed6de6fe6bbd9e048ee76b3dcb88c5e51fb65507f',
  },
  arm64: {
    package: 'musl-dev',
    version: '1.2.3-1',
    architecture: 'arm64',
    suite: 'bookworm',
    sha256: '55c2ca4bc3041c8ed8ac7dc3ef6080d9551a21650568b2fd7610b59eaf98a4f4',
  },
} as const satisfies Record<string, PinnedArchPackage>
