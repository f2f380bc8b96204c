import { test } from 'uvu'
import { matchesNode } from '../../support/same-as-node.ts'

test('path is POSIX path, as node:path, path/posix and require("path")', async () => {
  await matchesNode(`
    import path from 'node:path'
    import { join, posix } from 'path'
    import * as p2 from 'node:path/posix'
    print(path.join('/a/b', '../c', 'd.txt'), join('a', '', 'b/'), path.normalize('/a//b/../c/.'), path.resolve('/x', 'y', '../z'), path.isAbsolute('a'), path.isAbsolute('/a'))
    print(path.extname('a.tar.gz'), path.extname('.bashrc'), path.basename('/a/b.js', '.js'), path.dirname('/a/b/c'), path.relative('/a/b/c', '/a/d'), path.sep, path.delimiter)
    print(JSON.stringify(path.parse('/home/u/f.txt')), path.format({ dir: '/x', name: 'f', ext: '.md' }), posix === path, p2.join === path.join, require('path') === path)
  `)
})

test('path.win32 refuses with a clear error', async () => {
  const { runInRuntime } = await import('../../support/script.ts')
  const run = await runInRuntime(`
    import path from 'node:path'
    try { path.win32.join('a', 'b') } catch (e: any) { print(e.message) }
  `)
  if (!run.stdout.includes('path.win32 is not available in scratchfn')) throw new Error(`unexpected: ${run.stdout} ${run.stderr}`)
})

test.run()
