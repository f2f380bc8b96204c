// The machines function's parts: choosing the store from the environment, and ids
// that sort in creation order (listing and paging rely on it).
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import { EtcdStore } from '../../functions/_lib/machines/etcd-store.ts'
import { isMachineId, newMachineId } from '../../functions/_lib/machines/machine.ts'
import { MemoryStore } from '../../functions/_lib/machines/store.ts'
import { storeFromEnv } from '../../functions/_lib/machines/store-from-env.ts'

const test = suite('functions/_lib/machines')

test('with no MACHINES_STORE_URL, the store is in memory and a warning is logged', () => {
  const lines: string[] = []
  const store = storeFromEnv({}, (line) => lines.push(line))
  assert.instance(store, MemoryStore)
  assert.is(lines.length, 1)
  const line = JSON.parse(lines[0])
  assert.is(line.level, 'warn')
  assert.match(line.msg, 'MACHINES_STORE_URL is not set')
})

test('etcd://host:port picks etcd, with the path as the key prefix', () => {
  const lines: string[] = []
  const a = storeFromEnv({ MACHINES_STORE_URL: 'etcd://10.0.0.5:2379' }, (line) => lines.push(line)) as EtcdStore
  assert.instance(a, EtcdStore)
  assert.is(a.client.endpoint, 'http://10.0.0.5:2379')
  assert.is(a.prefix, '/machines/')
  const b = storeFromEnv({ MACHINES_STORE_URL: 'etcd://etcd:2379/team-a/machines', MACHINES_STORE_TIMEOUT_MS: '750' }) as EtcdStore
  assert.is(b.prefix, '/team-a/machines/')
  assert.is(b.client.timeoutMs, 750)
  assert.equal(lines, [])
})

test('a store URL it cannot use stops the start with the fix in the message', () => {
  assert.throws(
    () => storeFromEnv({ MACHINES_STORE_URL: 'redis://localhost:6379' }),
    /MACHINES_STORE_URL="redis:\/\/localhost:6379".*use etcd:\/\/host:2379/,
  )
  assert.throws(
    () => storeFromEnv({ MACHINES_STORE_URL: 'etcd://x:1', MACHINES_STORE_TIMEOUT_MS: 'soon' }),
    /MACHINES_STORE_TIMEOUT_MS="soon" must be/,
  )
})

test('machine ids are UUIDv7 and sort in the order they were made, even within one ms', () => {
  const now = Date.now()
  const ids = Array.from({ length: 5000 }, () => newMachineId(now))
  assert.ok(ids.every(isMachineId))
  assert.equal([...ids].sort(), ids)
  assert.is(new Set(ids).size, ids.length)
  assert.ok(newMachineId(now + 10) > ids[ids.length - 1])
  assert.is(parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16), now)
})

test.run()
