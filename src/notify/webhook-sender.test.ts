import assert from 'node:assert/strict'
import dns from 'node:dns'
import dnsPromises from 'node:dns/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { sendWebhook } from './webhook-sender.ts'
import { setWebhookDeliveryPolicy } from './webhook-target.ts'

/**
 * A subscriber's name can answer one address when it is checked and another when the
 * delivery connects (DNS rebinding): the address the delivery connects to is the one judged.
 */
describe('webhook delivery to a name that rebinds to loopback', () => {
  let server: http.Server
  let port = 0
  let received = 0
  const lookup = dns.lookup
  const promisesLookup = dnsPromises.lookup
  before(async () => {
    server = http.createServer((req, res) => {
      received++
      req.resume()
      res.statusCode = 204
      res.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
    // The check asks first and is told a public address; the connection asks next and is told loopback.
    Object.assign(dnsPromises, {
      lookup: async (host: string, options: unknown) =>
        host === 'rebind.example'
          ? [{ address: '93.184.216.34', family: 4 }]
          : promisesLookup(host, options as never),
    })
    Object.assign(dns, {
      lookup: (host: string, options: unknown, callback: unknown) => {
        if (host !== 'rebind.example') return (lookup as (...a: unknown[]) => void)(host, options, callback)
        const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all
        const done = (typeof options === 'function' ? options : callback) as (...a: unknown[]) => void
        if (all) done(null, [{ address: '127.0.0.1', family: 4 }])
        else done(null, '127.0.0.1', 4)
      },
    })
    setWebhookDeliveryPolicy({ allowPrivate: false })
  })
  after(async () => {
    setWebhookDeliveryPolicy(null)
    Object.assign(dns, { lookup })
    Object.assign(dnsPromises, { lookup: promisesLookup })
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  const delivery = (url: string) => ({
    deliveryId: 'd-1',
    url,
    eventType: 'claim.closed',
    body: '{"type":"claim.closed"}',
    secret: 'whsec-x',
    now: new Date(),
  })

  it('is not delivered, and the loopback server hears nothing', async () => {
    await assert.rejects(
      sendWebhook(delivery(`http://rebind.example:${port}/hook`), 2000),
      /internal address 127\.0\.0\.1/,
    )
    assert.equal(received, 0)
  })

  it('is delivered when the operator allows private targets', async () => {
    setWebhookDeliveryPolicy({ allowPrivate: true })
    try {
      await sendWebhook(delivery(`http://rebind.example:${port}/hook`), 2000)
      assert.equal(received, 1)
    } finally {
      setWebhookDeliveryPolicy({ allowPrivate: false })
    }
  })
})
