import path from 'node:path'
import { AppError } from './errors.ts'
import { echoed, parseWholeNumber } from './validate.ts'

/** Runtime configuration, read once from the environment at start-up. */
export interface Config {
  /** Folder for the embedded database, uploads, outbox and backups (`AFTERCARE_DATA`, default `./data`). */
  dataDir: string
  /** PostgreSQL connection string; when absent the embedded SQLite database in `dataDir` is used. */
  databaseUrl: string | undefined
  /**
   * Connections to PostgreSQL this process keeps (`AFTERCARE_DB_POOL_SIZE`); unset, two per
   * core of this machine and four at least (see `defaultPoolSize`).
   */
  databasePoolSize?: number | undefined
  host: string
  port: number
  /** Base URL used in e-mails and links (`AFTERCARE_PUBLIC_URL`), defaults to the listen address. */
  publicUrl: string
  /** `smtp://user:pass@host:port`; when absent, mail is written as .eml files to `<dataDir>/outbox`. */
  smtpUrl: string | undefined
  mailFrom: string
  /** Extra folder of policy YAML files loaded beside the shipped ones (`AFTERCARE_POLICIES`). */
  policiesDir: string | undefined
  /**
   * Cookies get the Secure flag, except where the system is plainly a local one: served on
   * a loopback address with an `http://` public URL (the demo of `npm start`).
   * `AFTERCARE_INSECURE_COOKIES=1` drops the flag anywhere (plain-HTTP development only).
   */
  secureCookies: boolean
  /**
   * Proxies whose `X-Forwarded-For` is believed (`AFTERCARE_TRUST_PROXY`, comma-separated
   * addresses or CIDRs; empty by default). Anyone else's forwarded headers are ignored, so a
   * client cannot pick the address its rate limits are counted under.
   */
  trustProxy: string[]
  /**
   * Webhooks may target loopback and private addresses only when an operator says so
   * (`AFTERCARE_WEBHOOKS_ALLOW_PRIVATE=1`): otherwise a webhook is a way into the internal network.
   */
  webhooksAllowPrivate: boolean
  /**
   * Replies by e-mail: notification mails carry `Reply-To: reply+<claim>.<signature>@<replyDomain>`
   * (`AFTERCARE_REPLY_DOMAIN`), signed with `replySecret` (`AFTERCARE_REPLY_SECRET`, at least 32
   * characters). Both unset: no reply address.
   */
  replyDomain?: string | undefined
  replySecret?: string | undefined
  /**
   * Megabytes the files of one claim may take together (`AFTERCARE_CLAIM_FILES_MB`); unset,
   * 2048 (see `DEFAULT_UPLOAD_LIMITS.claimBytes`).
   */
  claimFilesMegabytes?: number | undefined
  /** Shared secret a mail relay sends to `POST /api/v1/inbound-mail` (`AFTERCARE_INBOUND_MAIL_TOKEN`); unset: the route refuses. */
  inboundMailToken?: string | undefined
}

function readPort(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback
  return parseWholeNumber(raw, name, { min: 0, max: 65535 })
}

/** A host name or an IPv4 or IPv6 address (bracketed or not, with a zone), nothing else. */
const LISTEN_HOST = /^[A-Za-z0-9._:%[\]-]{1,253}$/

/**
 * The address to listen on, as given in `name` (`--host`, `HOST`). Node reads an empty host
 * as every interface, so a blank one would open the server to the network where the
 * default keeps it on this machine: it is refused, as is anything no address looks like.
 */
export function parseListenHost(raw: string, name: string): string {
  if (!LISTEN_HOST.test(raw))
    throw new AppError(
      'validation',
      { key: 'config.host', params: { field: name, raw: echoed(raw) } },
      { field: name },
    )
  return raw
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  // An empty HOST is unset, as an empty PORT is.
  const host = overrides.host ?? (env.HOST ? parseListenHost(env.HOST, 'HOST') : '127.0.0.1')
  const port = overrides.port ?? readPort(env.PORT, 'PORT', 3000)
  const databaseUrl = overrides.databaseUrl ?? (env.DATABASE_URL || undefined)
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new AppError(
      'validation',
      {
        key: 'config.database-url',
        params: { variable: 'DATABASE_URL', scheme: 'postgres://', longScheme: 'postgresql://' },
      },
      {
        field: 'DATABASE_URL',
      },
    )
  }
  const databasePoolSize =
    overrides.databasePoolSize ??
    (env.AFTERCARE_DB_POOL_SIZE
      ? parseWholeNumber(env.AFTERCARE_DB_POOL_SIZE, 'AFTERCARE_DB_POOL_SIZE', { min: 1, max: 500 })
      : undefined)
  const publicUrl = overrides.publicUrl ?? env.AFTERCARE_PUBLIC_URL ?? `http://${host}:${port}`
  const localPlainHttp = publicUrl.startsWith('http://') && isLoopback(host)
  return {
    dataDir: path.resolve(overrides.dataDir ?? env.AFTERCARE_DATA ?? 'data'),
    databaseUrl,
    databasePoolSize,
    host,
    port,
    publicUrl,
    smtpUrl: overrides.smtpUrl ?? (env.SMTP_URL || undefined),
    mailFrom: overrides.mailFrom ?? env.MAIL_FROM ?? 'Aftercare <service@aftercare.local>',
    policiesDir: overrides.policiesDir ?? (env.AFTERCARE_POLICIES || undefined),
    secureCookies: overrides.secureCookies ?? (env.AFTERCARE_INSECURE_COOKIES !== '1' && !localPlainHttp),
    trustProxy: overrides.trustProxy ?? parseTrustProxy(env.AFTERCARE_TRUST_PROXY),
    webhooksAllowPrivate: overrides.webhooksAllowPrivate ?? env.AFTERCARE_WEBHOOKS_ALLOW_PRIVATE === '1',
    claimFilesMegabytes:
      overrides.claimFilesMegabytes ??
      (env.AFTERCARE_CLAIM_FILES_MB
        ? parseWholeNumber(env.AFTERCARE_CLAIM_FILES_MB, 'AFTERCARE_CLAIM_FILES_MB', {
            min: 1,
            max: 1_048_576,
          })
        : undefined),
    ...readInboundMail(env, overrides),
  }
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/

/** `10.0.0.1, 10.1.0.0/16, ::1` → the list; anything that is not an address or CIDR is refused at start-up. */
export function parseTrustProxy(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return []
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [address = '', bits, ...rest] = entry.split('/')
      const v4 = IPV4.test(address)
      const v6 = !v4 && address.includes(':') && /^[0-9a-f:.]+$/i.test(address)
      const maxBits = v4 ? 32 : 128
      const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits)
      if ((!v4 && !v6) || !bitsOk || rest.length > 0) {
        throw new AppError(
          'validation',
          { key: 'config.trust-proxy', params: { variable: 'AFTERCARE_TRUST_PROXY', entry } },
          { field: 'AFTERCARE_TRUST_PROXY' },
        )
      }
      return entry
    })
}

function readInboundMail(
  env: NodeJS.ProcessEnv,
  overrides: Partial<Config>,
): Pick<Config, 'replyDomain' | 'replySecret' | 'inboundMailToken'> {
  const replyDomain = overrides.replyDomain ?? (env.AFTERCARE_REPLY_DOMAIN || undefined)
  const replySecret = overrides.replySecret ?? (env.AFTERCARE_REPLY_SECRET || undefined)
  const inboundMailToken = overrides.inboundMailToken ?? (env.AFTERCARE_INBOUND_MAIL_TOKEN || undefined)
  if ((replyDomain === undefined) !== (replySecret === undefined)) {
    throw new AppError(
      'validation',
      {
        key: 'config.reply-together',
        params: { domain: 'AFTERCARE_REPLY_DOMAIN', secret: 'AFTERCARE_REPLY_SECRET' },
      },
      {
        field: replyDomain === undefined ? 'AFTERCARE_REPLY_DOMAIN' : 'AFTERCARE_REPLY_SECRET',
      },
    )
  }
  if (replyDomain !== undefined && !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(replyDomain)) {
    throw new AppError(
      'validation',
      {
        key: 'config.reply-domain',
        params: { variable: 'AFTERCARE_REPLY_DOMAIN', example: 'reply.example.com' },
      },
      {
        field: 'AFTERCARE_REPLY_DOMAIN',
      },
    )
  }
  // Short secrets make the signed reply addresses guessable.
  for (const [field, value] of [
    ['AFTERCARE_REPLY_SECRET', replySecret],
    ['AFTERCARE_INBOUND_MAIL_TOKEN', inboundMailToken],
  ] as const) {
    if (value !== undefined && value.length < 32)
      throw new AppError(
        'validation',
        { key: 'config.secret-too-short', params: { variable: field, minimum: 32 } },
        { field },
      )
  }
  return { replyDomain, replySecret, inboundMailToken }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)
}
