import crypto from 'node:crypto'
import { buildSignedPayload, formatSignatureHeader } from './domain/webhook-signature.ts'
import { checkDeliveryTarget } from './webhook-target.ts'

export const WEBHOOK_TIMEOUT_MS = 10_000

export interface WebhookToSend {
  deliveryId: string
  url: string
  eventType: string
  body: string
  secret: string
  now: Date
}

/** The signature header for a body: HMAC-SHA256 of "<unix seconds>.<body>" in hex. */
export function signWebhookBody(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000)
  const digest = crypto.createHmac('sha256', secret).update(buildSignedPayload(t, body)).digest('hex')
  return formatSignatureHeader(t, digest)
}

/** POSTs one delivery; throws on a network error, a timeout or a non-2xx answer (the outbox retries). */
export async function sendWebhook(delivery: WebhookToSend, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<void> {
  // Checked again at delivery: a name can be pointed at an internal address after subscribing.
  await checkDeliveryTarget(delivery.url)
  const response = await fetch(delivery.url, {
    method: 'POST',
    body: delivery.body,
    // A redirect could carry the signed body to a host nobody subscribed; treat it as a failure.
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutMs),
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Aftercare-Webhooks/1',
      'aftercare-event': delivery.eventType,
      'aftercare-delivery': delivery.deliveryId,
      'aftercare-signature': signWebhookBody(delivery.secret, delivery.body, delivery.now),
    },
  })
  // Drain the body so the connection is released.
  await response.arrayBuffer().catch(() => undefined)
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`The webhook endpoint answered HTTP ${response.status}`)
  }
}
