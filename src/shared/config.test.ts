import assert from 'node:assert/strict'
import os from 'node:os'
import { test } from 'node:test'
import fc from 'fast-check'
import { databaseOptionsFromConfig, defaultPoolSize } from '../db/database.ts'
import { loadConfig, parseListenHost } from './config.ts'
import { AppError } from './errors.ts'

test('the local demo on a loopback address over plain HTTP sends cookies without the Secure flag', () => {
  assert.equal(loadConfig({}).secureCookies, false)
  assert.equal(loadConfig({ HOST: 'localhost' }).secureCookies, false)
})

test('anything reachable from elsewhere, or behind HTTPS, gets Secure cookies', () => {
  assert.equal(loadConfig({ HOST: '0.0.0.0' }).secureCookies, true)
  assert.equal(loadConfig({ AFTERCARE_PUBLIC_URL: 'https://service.example.com' }).secureCookies, true)
  assert.equal(loadConfig({ HOST: '10.0.0.5', AFTERCARE_INSECURE_COOKIES: '1' }).secureCookies, false)
})

test('a bad PORT or DATABASE_URL is refused naming the variable', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty' }),
    (e: unknown) => e instanceof AppError && e.field === 'PORT',
  )
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'mysql://x' }),
    (e: unknown) => e instanceof AppError && e.field === 'DATABASE_URL',
  )
})

test('AFTERCARE_DB_POOL_SIZE sets the PostgreSQL connections; unset, two per core and four at least; anything else is refused naming it', () => {
  assert.equal(loadConfig({}).databasePoolSize, undefined)
  assert.equal(loadConfig({ AFTERCARE_DB_POOL_SIZE: '12' }).databasePoolSize, 12)
  const url = 'postgresql://localhost/aftercare'
  assert.deepEqual(
    databaseOptionsFromConfig(loadConfig({ DATABASE_URL: url, AFTERCARE_DB_POOL_SIZE: '3' })),
    {
      engine: 'postgres',
      url,
      poolSize: 3,
    },
  )
  assert.equal(defaultPoolSize(), Math.max(4, 2 * os.availableParallelism()))
  for (const bad of ['0', '-1', 'ten', '1.5', '501'])
    assert.throws(
      () => loadConfig({ AFTERCARE_DB_POOL_SIZE: bad }),
      (e: unknown) => e instanceof AppError && e.field === 'AFTERCARE_DB_POOL_SIZE',
      bad,
    )
})

test('a blank HOST is unset; one no address looks like is refused naming it, its value echoed on one line (generated)', () => {
  assert.equal(loadConfig({ HOST: '' }).host, '127.0.0.1')
  for (const host of ['0.0.0.0', '::', '[::1]', 'fe80::1%eth0', 'service.example.com', 'localhost'])
    assert.equal(loadConfig({ HOST: host }).host, host)
  fc.assert(
    fc.property(
      fc.string({ maxLength: 20 }),
      fc.constantFrom(' ', '\t', '\n', '\u0000', '/', '$', '\u202e', '主机'),
      fc.string({ maxLength: 20 }),
      (before, odd, rest) => {
        const raw = `${before}${odd}${rest}`
        assert.throws(
          () => loadConfig({ HOST: raw }),
          (e: unknown) => e instanceof AppError && e.field === 'HOST' && !/[\n\t\u202e]/.test(e.message),
        )
        assert.throws(
          () => parseListenHost(raw, '--host'),
          (e: unknown) => e instanceof AppError && e.field === '--host' && e.message.startsWith('--host '),
        )
      },
    ),
    { numRuns: 200 },
  )
})
