// A real PostgreSQL (Debian's postgresql package) for tests: a fresh cluster in a temp
// dir, on a free port on 127.0.0.1, with password logins, run as the `postgres`
// system user (the server refuses root). stop() defaults to SIGQUIT, PostgreSQL's
// immediate shutdown, which drops every connection as a crash would; start() brings it
// back on the same port and data.
import { spawnSync } from 'node:child_process'
import { chmodSync, chownSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { daemon } from './daemon.ts'
import { freePort } from './process.ts'

export interface Postgres {
  /**
   * postgres://fast:secret@127.0.0.1:<port>/postgres, a superuser whose password is stored
   * as MD5: its login costs the runtime no PBKDF2, which takes QuickJS about 0.8 s per
   * connection until the TLS work brings native crypto.
   */
  url: string
  /** postgres://app:secret@...: the same with a SCRAM-SHA-256 login (PostgreSQL's default). */
  scramUrl: string
  port: number
  stop(signal?: NodeJS.Signals): Promise<void>
  start(): Promise<void>
  destroy(): Promise<void>
  /** Runs SQL with psql as the app user; returns its output (unaligned, tuples only). */
  psql(sql: string): string
  log(): string
}

function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin/postgres'))) : []
  if (versions.length === 0)
    throw new Error('PostgreSQL is not installed: run `apt-get install -y --no-install-recommends postgresql` (Debian/Ubuntu)')
  return join(root, versions.sort((a, b) => Number(a) - Number(b)).pop()!, 'bin')
}

function uidOf(user: string): [number, number] {
  const r = spawnSync('id', ['-u', user], { encoding: 'utf8' })
  const g = spawnSync('id', ['-g', user], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`PostgreSQL needs its system user '${user}' (the postgresql package creates it)`)
  return [Number(r.stdout), Number(g.stdout)]
}

export interface PostgresOptions {
  /** ssl=on with this certificate (PEM files; `chain` appended to it), and TCP logins over TLS only (hostssl). */
  tls?: { key: string; cert: string; chain?: string }
}

export async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
  const bin = binDir()
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-pg-'))
  const [uid, gid] = uidOf('postgres')
  chownSync(dir, uid, gid)
  const pw = join(dir, 'pw')
  writeFileSync(pw, 'secret\n')
  chownSync(pw, uid, gid)
  const asPostgres = (cmd: string, args: string[]) => [
    '--reuid=postgres',
    '--regid=postgres',
    '--clear-groups',
    '--',
    join(bin, cmd),
    ...args,
  ]
  const init = spawnSync('setpriv', asPostgres('initdb', ['-D', join(dir, 'data'), '-U', 'app', '--auth=md5', `--pwfile=${pw}`]), {
    encoding: 'utf8',
  })
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`)
  const tlsArgs: string[] = []
  if (options.tls) {
    // The server reads its key only when the postgres user owns it and nobody else may read it.
    const key = join(dir, 'server.key')
    const cert = join(dir, 'server.crt')
    copyFileSync(options.tls.key, key)
    writeFileSync(cert, readFileSync(options.tls.cert, 'utf8') + (options.tls.chain ? readFileSync(options.tls.chain, 'utf8') : ''))
    for (const f of [key, cert]) chownSync(f, uid, gid)
    chmodSync(key, 0o600)
    const hba = join(dir, 'data/pg_hba.conf')
    writeFileSync(hba, 'local all all md5\nhostssl all all 127.0.0.1/32 md5\n')
    chownSync(hba, uid, gid)
    tlsArgs.push('-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`)
  }
  const port = await freePort()
  const pg = daemon({
    name: 'postgres',
    command: 'setpriv',
    args: asPostgres('postgres', [
      '-D',
      join(dir, 'data'),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-p',
      String(port),
      '-c',
      'fsync=off',
      '-c',
      'max_connections=50',
      ...tlsArgs,
    ]),
    timeoutMs: 20_000,
    async ready() {
      return spawnSync(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)]).status === 0
    },
  })
  await pg.start()
  const scramUrl = `postgres://app:secret@127.0.0.1:${port}/postgres`
  const psql = (sql: string) => {
    const r = spawnSync(join(bin, 'psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql, scramUrl], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`)
    return r.stdout.trim()
  }
  psql("SET password_encryption = 'md5'; CREATE ROLE fast LOGIN SUPERUSER PASSWORD 'secret'")
  return {
    url: `postgres://fast:secret@127.0.0.1:${port}/postgres`,
    scramUrl,
    port,
    start: pg.start,
    stop: (signal = 'SIGQUIT') => pg.stop(signal),
    async destroy() {
      await pg.stop('SIGQUIT')
      rmSync(dir, { recursive: true, force: true })
    },
    psql,
    log: pg.log,
  }
}
