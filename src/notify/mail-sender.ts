import crypto from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import nodemailer, { type SendMailOptions } from 'nodemailer'
import type { Config } from '../shared/config.ts'
import type { RenderedEmail } from './domain/email-content.ts'
import { TEAM_ALERT_TEMPLATES } from './domain/email-template-data.ts'
import { replyAddressFor } from './inbound-mail-address.ts'

export interface MailToSend {
  /** The outbox row id: gives a stable Message-ID and file name, so a retry after an uncertain send is recognisable. */
  outboxId: string
  to: string
  /** The template it was written from. */
  topic: string
  claimId: string | null
  rendered: RenderedEmail
  date: Date
  /** Optional mail only: the address a mail program POSTs to stop this kind of mail in one click. */
  listUnsubscribe?: string
}

export interface MailSender {
  send(mail: MailToSend): Promise<void>
  close(): void
}

const domainOf = (address: string): string => /@([^>\s]+)>?\s*$/.exec(address)?.[1] ?? 'aftercare.local'

type SenderConfig = Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir' | 'replyDomain' | 'replySecret'>

function buildMessage(config: SenderConfig, mail: MailToSend): SendMailOptions {
  // A reply to a mail about a claim lands in that claim's thread (POST /api/v1/inbound-mail).
  const replyTo =
    mail.claimId && !TEAM_ALERT_TEMPLATES.has(mail.topic) ? replyAddressFor(mail.claimId, config) : undefined
  return {
    ...(replyTo ? { replyTo } : {}),
    from: config.mailFrom,
    to: mail.to,
    subject: mail.rendered.subject,
    text: mail.rendered.text,
    html: mail.rendered.html,
    date: mail.date,
    messageId: `<${mail.outboxId}@${domainOf(config.mailFrom)}>`,
    headers: {
      // Sent by the system, not a person (RFC 3834): out-of-office responders do not answer it.
      'Auto-Submitted': 'auto-generated',
      ...(mail.claimId ? { 'X-Aftercare-Claim': mail.claimId } : {}),
      // RFC 2369 and RFC 8058: a mail program offers "unsubscribe" and POSTs
      // `List-Unsubscribe=One-Click` to the signed address, no sign-in needed.
      ...(mail.listUnsubscribe
        ? {
            'List-Unsubscribe': `<${mail.listUnsubscribe}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          }
        : {}),
    },
  }
}

/**
 * SMTP when `smtpUrl` is configured; otherwise each message is written as
 * `<dataDir>/outbox/<outbox id>.eml`, so a fresh install shows its mail without a server.
 */
export function createMailSender(config: SenderConfig): MailSender {
  if (config.smtpUrl) {
    // Bounded well inside the worker's 2-minute lease, so a hung server cannot outlive the
    // lease and let a second worker send the same message.
    const transport = nodemailer.createTransport(config.smtpUrl, {
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 45_000,
    })
    return {
      async send(mail) {
        await transport.sendMail(buildMessage(config, mail))
      },
      close: () => transport.close(),
    }
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' })
  const folder = path.join(config.dataDir, 'outbox')
  return {
    async send(mail) {
      const info = await transport.sendMail(buildMessage(config, mail))
      await fs.mkdir(folder, { recursive: true })
      await writeFileAtomically(path.join(folder, `${mail.outboxId}.eml`), info.message as Buffer)
    },
    close: () => transport.close(),
  }
}

/** Temp file, fsync, rename: a reader never sees half a message, a crash leaves no torn file. */
async function writeFileAtomically(target: string, content: Buffer): Promise<void> {
  const temp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`
  const handle = await fs.open(temp, 'wx')
  try {
    await handle.writeFile(content)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await fs.rename(temp, target)
  } catch (error) {
    await fs.rm(temp, { force: true })
    throw error
  }
}
