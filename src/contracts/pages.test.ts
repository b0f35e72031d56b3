import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { absolutePageUrl, isSafeReturnPath, type PageReader, pages } from './pages.ts'

const READERS: PageReader[] = [
  'customer',
  'dealer',
  'support',
  'technician',
  'manager',
  'admin',
  'integration',
]

describe('page paths', () => {
  it('a claim id of any characters stays one path segment and comes back unchanged', () => {
    fc.assert(
      // `.` and `..` cannot be a URL path segment at all (even as %2E, WHATWG URL resolves them);
      // claim ids are made by the server and are never either.
      fc.property(
        fc.string({ minLength: 1 }).filter((id) => id !== '.' && id !== '..'),
        (id) => {
          const url = new URL(pages.claim(id), 'https://service.example.com')
          const segments = url.pathname.split('/')
          assert.equal(segments.length, 3)
          assert.equal(segments[1], 'claims')
          assert.equal(decodeURIComponent(segments[2] ?? ''), id)
          for (const reader of READERS) {
            const own = new URL(pages.claimFor(reader, id, 'quote'), 'https://service.example.com')
            assert.equal(decodeURIComponent(own.pathname.split('/').at(-1) ?? ''), id)
            assert.equal(own.hash, '#quote')
          }
        },
      ),
    )
  })

  it('each reader has their own claim page: customers under /my, dealers under /dealer, the rest the console', () => {
    assert.equal(pages.claimFor('customer', 'c1'), '/my/claims/c1')
    assert.equal(pages.claimFor('dealer', 'c1'), '/dealer/claims/c1')
    for (const reader of ['support', 'technician', 'manager', 'admin', 'integration'] as const)
      assert.equal(pages.claimFor(reader, 'c1'), '/staff/claims/c1')
  })

  it('absolute links join the public URL and the path with one slash', () => {
    assert.equal(absolutePageUrl('https://s.example/', pages.claim('x')), 'https://s.example/claims/x')
    assert.equal(absolutePageUrl('https://s.example', pages.claim('x')), 'https://s.example/claims/x')
  })

  it('the sign-in page returns only to paths on this site', () => {
    assert.ok(isSafeReturnPath('/claims/c1#quote'))
    for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', '/\t/evil', '', null])
      assert.ok(!isSafeReturnPath(bad), String(bad))
    fc.assert(
      fc.property(fc.string(), (text) => {
        if (!isSafeReturnPath(text)) return
        // What a browser makes of it stays on the same origin.
        assert.equal(new URL(text, 'https://service.example.com').origin, 'https://service.example.com')
      }),
    )
    const next = '/claims/a b?x=1'
    const back = new URL(pages.signIn(next), 'https://s.example').searchParams.get('next')
    assert.equal(back, next)
  })
})
