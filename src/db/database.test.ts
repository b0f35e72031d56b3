import assert from 'node:assert/strict'
import { test } from 'node:test'
import SqliteDatabase from 'better-sqlite3'
import { withStatementCache } from './database.ts'

test('the statement cache reuses a prepared statement for the same SQL', () => {
  const sqlite = new SqliteDatabase(':memory:')
  const cached = withStatementCache(sqlite)
  assert.equal(cached.prepare('select 1 as one'), cached.prepare('select 1 as one'))
  assert.notEqual(cached.prepare('select 1 as one'), cached.prepare('select 2 as two'))
  cached.close()
})

test('a statement still being iterated is not handed out again', () => {
  const sqlite = new SqliteDatabase(':memory:')
  sqlite.exec('create table t (n integer); insert into t values (1), (2), (3)')
  const cached = withStatementCache(sqlite)
  const outer = cached.prepare('select n from t order by n')
  const seen: number[] = []
  for (const row of outer.iterate() as IterableIterator<{ n: number }>) {
    // The same SQL while the first is mid-iteration: it must be a different statement.
    const inner = cached.prepare('select n from t order by n')
    assert.notEqual(inner, outer)
    seen.push(row.n, (inner.all() as { n: number }[]).length)
  }
  assert.deepEqual(seen, [1, 3, 2, 3, 3, 3])
  cached.close()
})

test('the cache forgets the least recently used statement past its capacity', () => {
  const sqlite = new SqliteDatabase(':memory:')
  const cached = withStatementCache(sqlite, 2)
  const first = cached.prepare('select 1')
  const second = cached.prepare('select 2')
  cached.prepare('select 1')
  cached.prepare('select 3')
  assert.equal(cached.prepare('select 1'), first, 'recently used, kept')
  assert.notEqual(cached.prepare('select 2'), second, 'least recently used, forgotten')
  cached.close()
})
