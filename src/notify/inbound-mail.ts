import crypto from 'node:crypto'
import { Readable } from 'node:stream'
import { type AddressObject, type Attachment, simpleParser } from 'mailparser'
import { type Actor, findCustomerUser, findUserByEmail, isStaff } from '../auth/index.ts'
import type { ClaimsTable } from '../claims/index.ts'
import { findClaim, findCustomerContact, isClaimVisibleTo, postMessage } from '../claims/index.ts'
import { isUniqueViolation } from '../db/database.ts'
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits, type UploadPart, uploadFiles } from '../files/index.ts'
import type { AppContext } from '../shared/app-context.ts'
import { AppError } from '../shared/errors.ts'
import { claimIdFromReplyAddress } from './inbound-mail-address.ts'
import { stripQuotedReply } from './inbound-mail-text.ts'

export interface InboundResult {
  claimId: string
  threadMessageId: string
  /** False when this Message-ID was received before: nothing was posted again. */
  created: boolean
  /** True when the reply answered a request for information (the paused clocks resumed). */
  answered: boolean
  files: number
}

const addressesOf = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((group) =>
    group.value.flatMap((a) => [a.address ?? '', ...(a.group ?? []).map((g) => g.address ?? '')]),
  )

/** Every address the message was sent to, including the relay's envelope headers. */
function recipientsOf(parsed: Awaited<ReturnType<typeof simpleParser>>): string[] {
  const envelope = ['delivered-to', 'x-original-to', 'envelope-to']
    .map((name) => parsed.headers.get(name))
    .flatMap((value) => (typeof value === 'string' ? [value] : []))
  return [...addressesOf(parsed.to), ...addressesOf(parsed.cc), ...envelope]
    .map((a) => a.trim().replace(/^<|>$/g, ''))
    .filter((a) => a !== '')
}

/**
 * Who wrote: the claim's customer (by the e-mail address on the case), or a user who may
 * see the claim (its dealer's people, staff). Anyone else is refused: the signed address
 * says which case, the sender must still be one of its parties.
 */
async function senderOf(ctx: AppContext, claim: ClaimsTable, from: string): Promise<Actor> {
  if (claim.customer_id) {
    const customer = await findCustomerContact(ctx.db, claim.customer_id)
    if (customer && customer.email.toLowerCase() === from) {
      const user = await findCustomerUser(ctx.db, claim.customer_id)
      // An account closed to sign-in is closed to its mail too: the address is the same person.
      if (user?.disabled) throw notAParty()
      return {
        userId: user?.id ?? `customer:${customer.id}`,
        role: 'customer',
        name: user?.name ?? customer.name,
        email: customer.email,
        orgId: null,
        customerId: customer.id,
        via: 'email',
      }
    }
  }
  const user = await findUserByEmail(ctx.db, from)
  if (user && !user.disabled && user.role !== 'integration') {
    const actor: Actor = {
      userId: user.id,
      role: user.role,
      name: user.name,
      email: user.email,
      orgId: user.org_id,
      customerId: user.customer_id,
      via: 'email',
    }
    if (isStaff(actor) || isClaimVisibleTo(claim, actor)) return actor
  }
  throw notAParty()
}

/**
 * An out-of-office or other automatic answer to our mail (RFC 3834's `Auto-Submitted`, and the
 * headers older responders send instead) is nobody's reply: posted, it would answer the
 * claim's question and resume its clocks, and it could start a loop of automatic mail.
 */
function isAutomatic(headers: Awaited<ReturnType<typeof simpleParser>>['headers']): boolean {
  const text = (name: string) => {
    const value = headers.get(name)
    return typeof value === 'string' ? value.trim().toLowerCase() : undefined
  }
  const autoSubmitted = text('auto-submitted')
  if (autoSubmitted !== undefined && autoSubmitted !== '' && !autoSubmitted.startsWith('no')) return true
  if (headers.has('x-autoreply') || headers.has('x-autorespond')) return true
  return ['auto_reply', 'bulk', 'junk', 'list'].includes(text('precedence') ?? '')
}

/**
 * A sender address the receiving relay found forged: its `Authentication-Results` say the
 * From domain failed DMARC. Anyone can write a customer's address in From; a reply address
 * seen in one forwarded mail would otherwise let them answer on the customer's case. Only a
 * failure is believed: a header claiming a pass could have been written by the sender.
 */
const failedAuthentication = (parsed: Awaited<ReturnType<typeof simpleParser>>): boolean =>
  parsed.headerLines.some(
    (header) => header.key === 'authentication-results' && /[;\s]dmarc\s*=\s*fail\b/i.test(header.line),
  )

const notAParty = () =>
  new AppError(
    'forbidden',
    { key: 'notify.inbound.not-a-party', params: { field: 'body.from' } },
    { field: 'body.from' },
  )

/** Attachments as upload parts, so they pass the same checks as a web upload (type by content, size, name). */
async function* attachmentParts(attachments: Attachment[]): AsyncIterable<UploadPart> {
  for (const attachment of attachments) {
    const file = Readable.from([attachment.content]) as Readable & { truncated?: boolean }
    file.truncated = false
    yield {
      type: 'file',
      fieldname: 'attachments',
      filename: attachment.filename ?? 'attachment',
      mimetype: attachment.contentType,
      encoding: '7bit',
      file,
    } as unknown as UploadPart
  }
}

/** Inline images smaller than this are a mail program's logos and icons, not evidence. */
const INLINE_EVIDENCE_BYTES = 20 * 1024

/** The answer to a message received before: nothing is posted again. */
async function receivedBefore(ctx: AppContext, messageKey: string): Promise<InboundResult | undefined> {
  const seen = await ctx.db
    .selectFrom('inbound_mail')
    .selectAll()
    .where('message_id', '=', messageKey)
    .executeTakeFirst()
  return seen
    ? {
        claimId: seen.claim_id,
        threadMessageId: seen.thread_message_id,
        created: false,
        answered: false,
        files: 0,
      }
    : undefined
}

/**
 * A reply by e-mail to a notification about a claim: the signed reply address names the
 * claim, the quoted history is cut off, attachments are checked like web uploads and the
 * message joins the thread. While the claim awaits information the reply is the answer
 * and resumes the paused SLA clocks, exactly as a reply on the web.
 */
export async function receiveInboundMail(
  ctx: AppContext,
  raw: Buffer,
  limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
): Promise<InboundResult> {
  const parsed = await simpleParser(raw, { skipHtmlToText: false, skipTextLinks: true })
  const claimIds = new Set(
    recipientsOf(parsed).flatMap((address) => claimIdFromReplyAddress(address, ctx.config) ?? []),
  )
  if (claimIds.size !== 1) {
    throw new AppError(
      'not-found',
      {
        key: claimIds.size === 0 ? 'notify.inbound.no-reply-address' : 'notify.inbound.several-claims',
        params: { field: 'body.to' },
      },
      { field: 'body.to' },
    )
  }
  const [claimId = ''] = claimIds
  const claim = await findClaim(ctx.db, claimId)
  if (!claim)
    throw new AppError(
      'not-found',
      { key: 'notify.inbound.no-reply-address', params: { field: 'body.to' } },
      { field: 'body.to' },
    )
  const senders = [...new Set(addressesOf(parsed.from).map((a) => a.trim().toLowerCase()))].filter(
    (a) => a !== '',
  )
  // Mail may name several authors in From; which of them wrote is then unknown, and taking the
  // first would post in one party's name what another may have written.
  if (senders.length > 1)
    throw new AppError(
      'validation',
      { key: 'notify.inbound.several-senders', params: { field: 'body.from', senders: senders.join(', ') } },
      { field: 'body.from' },
    )
  const [from] = senders
  if (!from)
    throw new AppError(
      'validation',
      { key: 'notify.inbound.no-sender', params: { field: 'body.from' } },
      { field: 'body.from' },
    )
  if (failedAuthentication(parsed))
    throw new AppError(
      'forbidden',
      { key: 'notify.inbound.forged-sender', params: { field: 'body.from' } },
      { field: 'body.from' },
    )
  const actor = await senderOf(ctx, claim, from)
  if (isAutomatic(parsed.headers))
    throw new AppError(
      'validation',
      { key: 'notify.inbound.automatic', params: { field: 'body.auto-submitted' } },
      { field: 'body.auto-submitted' },
    )

  const messageKey =
    parsed.messageId?.trim() || `sha256:${crypto.createHash('sha256').update(raw).digest('hex')}`
  const seen = await receivedBefore(ctx, messageKey)
  if (seen) return seen

  const body = stripQuotedReply(parsed.text ?? '')
  // A photo pasted into the body is sent inline, like a signature logo; the logo is the small
  // one. Dropping every inline image dropped the photo a question asked for, and the reply
  // without it still answered the question.
  const attachments = parsed.attachments.filter((a) => !a.related || a.size >= INLINE_EVIDENCE_BYTES)
  if (attachments.length > limits.filesPerRequest) {
    throw new AppError(
      'payload-too-large',
      {
        key: 'notify.inbound.too-many-files',
        params: { field: 'body.attachments', maximum: limits.filesPerRequest },
      },
      {
        field: 'body.attachments',
      },
    )
  }
  // Held by the sender until the message takes them onto the claim, so a refused message
  // leaves no file on the case.
  const files =
    attachments.length === 0
      ? []
      : await uploadFiles({ db: ctx.db, dataDir: ctx.config.dataDir, limits }, attachmentParts(attachments), {
          claimId: null,
          actor,
          defaultKind: 'defect-media',
          now: ctx.now(),
        })
  // The Message-ID is recorded in the message's own transaction: a relay that sends the mail
  // again while this one is handled (its retry after a timeout, to any instance) finds the
  // key taken and posts nothing, and a process stopped before the commit left neither.
  let posted: Awaited<ReturnType<typeof postMessage>>
  try {
    posted = await postMessage(
      ctx,
      actor,
      claimId,
      { body, fileIds: files.map((f) => f.id), via: 'email' },
      {
        record: async (trx, message) => {
          await trx
            .insertInto('inbound_mail')
            .values({
              message_id: messageKey,
              claim_id: claimId,
              thread_message_id: message.id,
              received_at: ctx.now().toISOString(),
            })
            .execute()
        },
      },
    )
  } catch (error) {
    const earlier = isUniqueViolation(error) ? await receivedBefore(ctx, messageKey) : undefined
    if (!earlier) throw error
    // This delivery's attachments are on no claim; the held-upload sweep removes them.
    return earlier
  }
  return {
    claimId,
    threadMessageId: posted.message.id,
    created: true,
    answered: posted.answered,
    files: files.length,
  }
}
