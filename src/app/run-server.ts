import { sweepExpiredSessions } from '../auth/sweep-sessions.ts'
import { remindQuotesNearLastDay } from '../claims/quote-reminders.ts'
import { startHeldUploadSweeper } from '../files/held-uploads.ts'
import { sweepOrphanFiles } from '../files/orphan-sweep.ts'
import { type BuildAppOptions, buildApp, DEFAULT_RATE_LIMITS, type RateLimit } from '../http/app.ts'
import type { EdgeTimeouts } from '../http/edge.ts'
import { sweepRateLimitCounters } from '../http/rate-limit.ts'
import type { HttpApp } from '../http/types.ts'
import { startOutboxWorker } from '../notify/deliver-outbox.ts'
import { setWebhookDeliveryPolicy } from '../notify/webhook-target.ts'
import { startReliabilitySweeper } from '../reliability/raise-flags.ts'
import type { AppContext } from '../shared/app-context.ts'
import { parseWholeNumber } from '../shared/validate.ts'
import { startSlaSweeper } from '../sla/sla-sweep.ts'
import { refuseUndefinedCalendars } from './policy-calendars.ts'

const OUTBOX_INTERVAL_MS = 2_000
const SLA_SWEEP_INTERVAL_MS = 60_000
const HELD_UPLOAD_SWEEP_INTERVAL_MS = 15 * 60_000
const MAINTENANCE_INTERVAL_MS = 10 * 60_000
/** Warnings are monthly; a check every six hours notices a new month (or new data) soon enough. */
const RELIABILITY_INTERVAL_MS = 6 * 60 * 60_000
/** The first check waits, so a start (and the demo) answers at once. */
const RELIABILITY_FIRST_DELAY_MS = 5 * 60_000

export interface RunningServer {
  app: HttpApp
  address: string
  stop(): Promise<void>
}

/**
 * Serves the API and web app and runs the background workers (outbox delivery, SLA
 * sweep, the reliability early-warning check). Every instance runs them: both claim their rows with leases or conditional
 * updates, so several instances over one PostgreSQL database do not double-send.
 */
export async function runServer(
  ctx: AppContext,
  options: {
    host: string
    port: number
    logger?: boolean
    rateLimits?: BuildAppOptions['rateLimits']
    timeouts?: EdgeTimeouts
  },
): Promise<RunningServer> {
  await refuseUndefinedCalendars(ctx)
  const app = await buildApp(ctx, {
    logger: options.logger ?? false,
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
    ...(options.timeouts === undefined ? {} : { timeouts: options.timeouts }),
  })
  setWebhookDeliveryPolicy({ allowPrivate: ctx.config.webhooksAllowPrivate })
  const address = await app.listen({ port: options.port, host: options.host })
  // With --port 0 the real port is known only now; links in e-mails must carry it.
  if (!process.env.AFTERCARE_PUBLIC_URL) ctx.config.publicUrl = address
  const onError = (error: unknown) => app.log.error({ err: error }, 'background work failed')
  const stopOutbox = startOutboxWorker(ctx, { intervalMs: OUTBOX_INTERVAL_MS, onError })
  const stopSweeper = startSlaSweeper(ctx, { intervalMs: SLA_SWEEP_INTERVAL_MS, onError })
  const stopHeldSweeper = startHeldUploadSweeper(ctx, { intervalMs: HELD_UPLOAD_SWEEP_INTERVAL_MS, onError })
  const stopMaintenance = startMaintenance(ctx, MAINTENANCE_INTERVAL_MS, onError)
  const stopReliability = startReliabilitySweeper(ctx, {
    intervalMs: RELIABILITY_INTERVAL_MS,
    firstDelayMs: RELIABILITY_FIRST_DELAY_MS,
    onError,
  })
  return {
    app,
    address,
    async stop() {
      await Promise.all([
        stopOutbox(),
        stopSweeper(),
        stopHeldSweeper(),
        stopMaintenance(),
        stopReliability(),
      ])
      await app.close()
    },
  }
}

/**
 * Housekeeping at start and every `intervalMs`: dead sessions and sign-in links, ended
 * rate-limit windows, and files on disk no row refers to (left by a crash or a cut-off
 * upload); and the reminders of quotes whose last day is near. Safe on every instance: each
 * deleting step only deletes what nobody can use, and a reminder is sent in the transaction
 * that marks its quote reminded.
 */
export function startMaintenance(
  ctx: AppContext,
  intervalMs: number,
  onError: (error: unknown) => void,
): () => Promise<void> {
  let running: Promise<void> = Promise.resolve()
  const run = () => {
    running = (async () => {
      const now = ctx.now()
      await sweepExpiredSessions(ctx.db, now)
      await sweepRateLimitCounters(ctx.db, now.getTime())
      await sweepOrphanFiles(ctx.db, ctx.config.dataDir, now)
      await remindQuotesNearLastDay(ctx, now)
    })().catch(onError)
  }
  run()
  const timer = setInterval(run, intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}

/**
 * Rate limits from the environment: `AFTERCARE_RATE_LIMITS=off` switches them off;
 * `AFTERCARE_RATE_LIMIT_SIGN_IN` (per address), `AFTERCARE_RATE_LIMIT_SIGN_IN_ACCOUNT`
 * (per account) and `AFTERCARE_RATE_LIMIT_LOOKUP` set requests per minute.
 */
export function rateLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): BuildAppOptions['rateLimits'] {
  if (env.AFTERCARE_RATE_LIMITS === 'off') return false
  const perMinute = (name: string, fallback: RateLimit): RateLimit => {
    const raw = env[name]
    if (raw === undefined || raw === '') return fallback
    return { max: parseWholeNumber(raw, name, { min: 1 }), windowMs: 60_000 }
  }
  return {
    signIn: perMinute('AFTERCARE_RATE_LIMIT_SIGN_IN', DEFAULT_RATE_LIMITS.signIn),
    signInAccount: perMinute('AFTERCARE_RATE_LIMIT_SIGN_IN_ACCOUNT', DEFAULT_RATE_LIMITS.signInAccount),
    lookup: perMinute('AFTERCARE_RATE_LIMIT_LOOKUP', DEFAULT_RATE_LIMITS.lookup),
  }
}
