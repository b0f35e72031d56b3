import { requireActor } from '../auth/index.ts'
import type { HttpApp } from '../http/types.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { mailPersonKey, OPTIONAL_MAIL_KINDS } from './domain/mail-preferences.ts'
import {
  MailPreferencesSchema,
  PreferencesChange,
  UnsubscribeQuery,
  UnsubscribeResult,
} from './mail-preferences.schemas.ts'
import {
  optIn,
  optOut,
  optOutAddress,
  personOfAddress,
  readMailPreferences,
  unsubscribeKey,
} from './mail-preferences.store.ts'
import { readUnsubscribeToken } from './unsubscribe-token.ts'

/** Optional mail: the person's own choices, and the signed link that stops a kind without signing in. */
export async function mailPreferencesRoutes(app: HttpApp, ctx: AppContext): Promise<void> {
  const sessionActor = (request: Parameters<typeof requireActor>[0]) => {
    const actor = requireActor(request)
    if (actor.via !== 'session') throw new AppError('forbidden', { key: 'notify.preferences.session-only' })
    // A customer's choices are the customer's, whichever of their sign-ins makes them.
    const person = mailPersonKey(
      actor.customerId ? { customerId: actor.customerId } : { userId: actor.userId },
      actor.email,
    )
    return { email: actor.email, person }
  }

  app.get(
    '/api/v1/me/mail-preferences',
    {
      schema: {
        tags: ['notify'],
        summary: 'Which optional e-mails I receive',
        response: { 200: MailPreferencesSchema },
      },
    },
    async (request) => {
      const { email, person } = sessionActor(request)
      return readMailPreferences(ctx.db, person, email)
    },
  )

  app.put(
    '/api/v1/me/mail-preferences',
    {
      schema: {
        tags: ['notify'],
        summary: 'Choose which optional e-mails I receive',
        body: PreferencesChange.meta({ examples: [{ 'quote-reminders': false }] }),
        response: { 200: MailPreferencesSchema },
      },
    },
    async (request) => {
      const { email, person } = sessionActor(request)
      const now = ctx.now()
      await ctx.db.transaction().execute(async (trx) => {
        for (const kind of OPTIONAL_MAIL_KINDS) {
          const wanted = request.body[kind]
          if (wanted === true) await optIn(trx, person, email, kind)
          if (wanted === false) await optOut(trx, person, email, kind, now)
        }
      })
      return readMailPreferences(ctx.db, person, email)
    },
  )

  await app.register(async (scope: HttpApp) => {
    // RFC 8058: a mail program POSTs the form body `List-Unsubscribe=One-Click`; the token in
    // the address is all that counts, so the body is read and set aside.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_request, _body, done) => done(null, undefined),
    )
    scope.post(
      '/api/v1/mail/unsubscribe',
      {
        // The link works without signing in: the signed token is its credential.
        config: { csrf: false, rateLimitGroup: 'lookup' },
        schema: {
          tags: ['notify'],
          summary: 'Stop one kind of optional e-mail by the signed link it carried (one-click, RFC 8058)',
          querystring: UnsubscribeQuery,
          response: { 200: UnsubscribeResult },
        },
      },
      async (request) => {
        const claim = readUnsubscribeToken(await unsubscribeKey(ctx.db), request.query.token)
        if (!claim)
          throw new AppError(
            'validation',
            { key: 'notify.unsubscribe.bad-token', params: { field: 'token' } },
            { field: 'token' },
          )
        const person = claim.person ?? (await personOfAddress(ctx.db, claim.address))
        const now = ctx.now()
        await ctx.db.transaction().execute(async (trx) => {
          // The person the mail was for stops it wherever it would reach them, and the address
          // the link reached gets it no more, for anyone.
          await optOut(trx, person, claim.address, claim.kind, now)
          await optOutAddress(trx, claim.address, claim.kind, now)
        })
        return { kind: claim.kind, address: claim.address, locale: claim.locale, stopped: true as const }
      },
    )
  })
}
