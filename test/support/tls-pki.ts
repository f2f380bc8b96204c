// A throwaway PKI for the TLS tests, made with Debian's openssl in a temporary directory:
// a root CA and an intermediate, leaves for localhost and 127.0.0.1 (EC P-256 and RSA),
// one for another name, an expired and a not-yet-valid one, a self-signed one, and a leaf
// of a second, untrusted CA. Made once per test file (about a second).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Pki {
  dir: string
  /** PEM files. */
  rootCert: string
  otherRootCert: string
  /** The intermediate alone: what a server sends after its leaf. */
  chain: string
  /** Key and certificate files of each leaf. */
  leaves: Record<'ec' | 'rsa' | 'otherName' | 'expired' | 'future' | 'self' | 'untrusted', { key: string; cert: string }>
  read(file: string): string
  dispose(): void
}

const EXT = `
[ca_ext]
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
[leaf_ext]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1
[other_ext]
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:other.example
[ca]
default_ca=myca
[myca]
database=db/index.txt
serial=db/serial
new_certs_dir=db
default_md=sha256
policy=pol
unique_subject=no
copy_extensions=none
[pol]
commonName=supplied
`

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-pki-'))
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
  writeFileSync(join(dir, 'ext.cnf'), EXT)
  mkdirSync(join(dir, 'db'))
  writeFileSync(join(dir, 'db/index.txt'), '')
  writeFileSync(join(dir, 'db/serial'), '1000\n')
  const key = (name: string, rsa = false) =>
    run(
      'genpkey',
      '-algorithm',
      rsa ? 'RSA' : 'EC',
      '-pkeyopt',
      rsa ? 'rsa_keygen_bits:2048' : 'ec_paramgen_curve:P-256',
      '-out',
      `${name}.key`,
    )
  const csr = (name: string, cn: string) => run('req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}`, '-out', `${name}.csr`)
  const root = (name: string, cn: string) => {
    key(name)
    run(
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      `/CN=${cn}`,
      '-days',
      '3650',
      '-sha256',
      '-extensions',
      'ca_ext',
      '-config',
      'ext.cnf',
      '-out',
      `${name}.crt`,
    )
  }
  const sign = (name: string, ca: string, ext: string, dates?: [string, string]) => {
    if (dates) {
      run(
        'ca',
        '-batch',
        '-config',
        'ext.cnf',
        '-cert',
        `${ca}.crt`,
        '-keyfile',
        `${ca}.key`,
        '-in',
        `${name}.csr`,
        '-startdate',
        dates[0],
        '-enddate',
        dates[1],
        '-extfile',
        'ext.cnf',
        '-extensions',
        ext,
        '-out',
        `${name}.crt`,
        '-notext',
      )
    } else {
      run(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${ca}.crt`,
        '-CAkey',
        `${ca}.key`,
        '-CAcreateserial',
        '-days',
        '825',
        '-sha256',
        '-extfile',
        'ext.cnf',
        '-extensions',
        ext,
        '-out',
        `${name}.crt`,
      )
    }
  }
  root('root', 'Scratchfn Test Root')
  root('other', 'Other Root')
  key('inter')
  csr('inter', 'Scratchfn Test Intermediate')
  sign('inter', 'root', 'ca_ext')
  for (const [name, ext, rsa] of [
    ['ec', 'leaf_ext', false],
    ['rsa', 'leaf_ext', true],
    ['otherName', 'other_ext', false],
  ] as const) {
    key(name, rsa)
    csr(name, name === 'otherName' ? 'other.example' : 'localhost')
    sign(name, 'inter', ext)
  }
  for (const [name, dates] of [
    ['expired', ['20200101000000Z', '20210101000000Z']],
    ['future', ['20400101000000Z', '20410101000000Z']],
  ] as const) {
    key(name)
    csr(name, 'localhost')
    sign(name, 'inter', 'leaf_ext', [dates[0], dates[1]])
  }
  key('self')
  run(
    'req',
    '-x509',
    '-new',
    '-key',
    'self.key',
    '-subj',
    '/CN=localhost',
    '-days',
    '365',
    '-sha256',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-out',
    'self.crt',
  )
  key('untrusted')
  csr('untrusted', 'localhost')
  sign('untrusted', 'other', 'leaf_ext')
  const file = (name: string) => join(dir, name)
  const leaves = Object.fromEntries(
    (['ec', 'rsa', 'otherName', 'expired', 'future', 'self', 'untrusted'] as const).map((n) => [
      n,
      { key: file(`${n}.key`), cert: file(`${n}.crt`) },
    ]),
  ) as Pki['leaves']
  return {
    dir,
    rootCert: file('root.crt'),
    otherRootCert: file('other.crt'),
    chain: file('inter.crt'),
    leaves,
    read: (f) => readFileSync(f, 'utf8'),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  }
}
