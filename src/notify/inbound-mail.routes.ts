import crypto from 'node:crypto'
import { z } from 'zod'
import { nameSchema } from '../contracts/api/named-schema.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { receiveInboundMail } from './inbound-mail.ts'

/** The header a mail relay sends with the shared secret. */
export const INBOUND_TOKEN_HEADER = 'x-aftercare-inbound-token'
// A whole message with its attachments: ten files of the largest accepted image size and the encoding overhead.
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024

const sameSecret = (given: string, expected: string): boolean => {
  const a = crypto.createHash('sha256').update(given).digest()
  const b = crypto.createHash('sha256').update(expected).digest()
  return crypto.timingSafeEqual(a, b)
}

const inboundResult = z.object({
  claimId: z.string(),
  threadMessageId: z.string(),
  created: z.boolean(),
  answered: z.boolean(),
  files: z.number(),
})
nameSchema(inboundResult, {
  id: 'InboundMailResult',
  description: 'What became of an e-mail reply: the claim and thread message it was posted to.',
})

/** Replies by e-mail: a relay posts each raw message received at `reply+…@<reply domain>`. */
export async function inboundMailRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  await app.register(async (scope: HttpApp) => {
    for (const type of ['message/rfc822', 'application/octet-stream']) {
      scope.addContentTypeParser(
        type,
        { parseAs: 'buffer', bodyLimit: MAX_MESSAGE_BYTES },
        (_request, body, done) => done(null, body),
      )
    }
    scope.post(
      '/api/v1/inbound-mail',
      {
        // A relay has no session: the shared secret is its credential.
        config: { csrf: false },
        schema: {
          tags: ['notify'],
          summary: 'Receive a reply by e-mail (raw RFC 5322 message) into the thread of its claim',
          description: `For the mail relay: the body is the raw message (\`Content-Type: message/rfc822\`), the header \`${INBOUND_TOKEN_HEADER}\` carries AFTERCARE_INBOUND_MAIL_TOKEN. The signed reply address (To, Cc, Delivered-To or X-Original-To) names the claim; the sender must be a party of it. Quoted history is cut off; attachments pass the upload checks. A Message-ID received before answers 200 without posting again. See docs/inbound-mail.md.`,
          consumes: ['message/rfc822'],
          headers: z.object({ [INBOUND_TOKEN_HEADER]: z.string().max(500).optional() }),
          response: { 200: inboundResult, 201: inboundResult },
        },
      },
      async (request, reply) => {
        const expected = ctx.config.inboundMailToken
        const given = request.headers[INBOUND_TOKEN_HEADER]
        if (!expected) throw new AppError('not-found', { key: 'notify.inbound.not-set-up' })
        if (typeof given !== 'string' || !sameSecret(given, expected))
          throw new AppError(
            'unauthenticated',
            { key: 'notify.inbound.bad-token', params: { field: INBOUND_TOKEN_HEADER } },
            {
              field: INBOUND_TOKEN_HEADER,
            },
          )
        if (!Buffer.isBuffer(request.body) || request.body.length === 0)
          throw new AppError(
            'unsupported-media-type',
            { key: 'notify.inbound.raw-body', params: { field: 'body', mediaType: 'message/rfc822' } },
            {
              field: 'body',
            },
          )
        const result = await receiveInboundMail(ctx, request.body)
        return reply.status(result.created ? 201 : 200).send(result)
      },
    )
  })
}
