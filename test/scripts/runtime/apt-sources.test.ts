// Finding the Debian archive in the machine's apt sources, in both of apt's formats.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { debianArchiveUri, machineAptEntries, parseDeb822, parseOneLine } from '../../../scripts/runtime/apt-sources.ts'

test('reads deb822 stanzas, skips disabled ones and comments', () => {
  const entries = parseDeb822(
    [
      'Types: deb',
      '# http://snapshot.debian.org/archive/debian/20250520T000000Z',
      'URIs: http://deb.debian.org/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb',
      'URIs: http://mirror.example/debian',
      'Suites: trixie',
      'Components: main',
      'Enabled: no',
      '',
    ].join('\n'),
    'debian.sources',
  )
  assert.equal(entries, [
    {
      types: ['deb'],
      uri: 'http://deb.debian.org/debian',
      suites: ['bookworm', 'bookworm-updates'],
      components: ['main'],
      file: 'debian.sources',
    },
  ])
})

test('reads one-line entries with options', () => {
  assert.equal(
    parseOneLine(
      '# a comment\ndeb [arch=amd64 signed-by=/k.gpg] http://ftp.de.debian.org/debian/ bookworm main contrib\n\n',
      'sources.list',
    ),
    [
      {
        types: ['deb'],
        uri: 'http://ftp.de.debian.org/debian/',
        suites: ['bookworm'],
        components: ['main', 'contrib'],
        file: 'sources.list',
      },
    ],
  )
})

test("takes Debian's main archive, not the security archive or a third-party repository", () => {
  const dir = mkdtempSync(join(tmpdir(), 'scratchfn-apt-'))
  try {
    mkdirSync(join(dir, 'sources.list.d'))
    writeFileSync(join(dir, 'sources.list'), 'deb https://deb.nodesource.com/node_20.x nodistro main\n')
    writeFileSync(
      join(dir, 'sources.list.d/a-security.sources'),
      'Types: deb\nURIs: http://deb.debian.org/debian-security\nSuites: bookworm-security\nComponents: main\n',
    )
    writeFileSync(
      join(dir, 'sources.list.d/debian.sources'),
      'Types: deb\nURIs: http://mirror.example/pub/debian/\nSuites: bookworm\nComponents: main\n',
    )
    writeFileSync(join(dir, 'sources.list.d/other.list.disabled'), 'deb http://other.example/debian bookworm main\n')
    assert.is(debianArchiveUri(machineAptEntries(dir)), 'http://mirror.example/pub/debian')
    assert.is(debianArchiveUri(parseOneLine('deb https://deb.nodesource.com/node_20.x nodistro main', 'x')), undefined)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
