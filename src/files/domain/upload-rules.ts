/**
 * What may be uploaded, how large, and how a client's file name is shown. Pure: the
 * adapter detects the type from the bytes and asks these rules.
 */
import type { Message } from '../../shared/messages/translate.ts'
import { checkEbml } from './structure/ebml-structure.ts'
import { checkIsoBoxes } from './structure/iso-box-structure.ts'
import { checkJpeg } from './structure/jpeg-structure.ts'
import { checkPdf } from './structure/pdf-structure.ts'
import { checkPng } from './structure/png-structure.ts'
import type { StructureCheck } from './structure/structure-check.ts'
import { checkWebp } from './structure/webp-structure.ts'

export const FILE_KINDS = [
  'defect-media',
  'package-photos',
  'shipping-slip',
  'serial-photo',
  'delivery-receipt',
  'carrier-report',
  'proof-of-purchase',
  'payment-proof',
  /** The seller's logo for the letterhead of its documents (PNG or JPEG). */
  'logo',
  'other',
] as const
export type FileKind = (typeof FILE_KINDS)[number]

export type MediaCategory = 'image' | 'video' | 'pdf'

interface AllowedType {
  category: MediaCategory
  /** File name extensions that honestly describe this content. */
  extensions: readonly string[]
  /** Content types a client may declare for it (browsers disagree on a few). */
  declared: readonly string[]
  /**
   * A new check that the whole file is well formed, fed as it streams: the first bytes only
   * say what a file claims to be, and a photo cut off after them is stored as a broken image.
   */
  checkStructure: () => StructureCheck
}

const videoBoxes = () => checkIsoBoxes({ ftypFirst: true, required: 'moov' })
const heicBoxes = () => checkIsoBoxes({ ftypFirst: true, required: 'meta' })

/** The content types we accept, keyed by the type detected from the bytes. */
export const ALLOWED_TYPES: Readonly<Record<string, AllowedType>> = {
  'image/jpeg': {
    category: 'image',
    extensions: ['jpg', 'jpeg', 'jpe', 'jfif'],
    declared: ['image/jpeg', 'image/jpg', 'image/pjpeg'],
    checkStructure: checkJpeg,
  },
  'image/png': { category: 'image', extensions: ['png'], declared: ['image/png'], checkStructure: checkPng },
  'image/webp': {
    category: 'image',
    extensions: ['webp'],
    declared: ['image/webp'],
    checkStructure: checkWebp,
  },
  'image/heic': {
    category: 'image',
    extensions: ['heic', 'heif'],
    declared: ['image/heic', 'image/heif'],
    checkStructure: heicBoxes,
  },
  'image/heif': {
    category: 'image',
    extensions: ['heic', 'heif'],
    declared: ['image/heic', 'image/heif'],
    checkStructure: heicBoxes,
  },
  'video/mp4': {
    category: 'video',
    extensions: ['mp4', 'm4v'],
    declared: ['video/mp4', 'video/x-m4v'],
    checkStructure: videoBoxes,
  },
  'video/quicktime': {
    category: 'video',
    extensions: ['mov', 'qt', 'mp4'],
    declared: ['video/quicktime', 'video/mp4'],
    // A QuickTime movie from before the ISO format may begin with any box.
    checkStructure: () => checkIsoBoxes({ ftypFirst: false, required: 'moov' }),
  },
  'video/webm': {
    category: 'video',
    extensions: ['webm'],
    declared: ['video/webm'],
    checkStructure: checkEbml,
  },
  'application/pdf': {
    category: 'pdf',
    extensions: ['pdf'],
    declared: ['application/pdf', 'application/x-pdf'],
    checkStructure: checkPdf,
  },
}

export interface UploadLimits {
  imageBytes: number
  videoBytes: number
  pdfBytes: number
  /** Files in one request. */
  filesPerRequest: number
  /**
   * Bytes one uploader may keep waiting for a claim (`POST /api/v1/files`): held files are
   * on no case staff look at, so without a bound one account could fill the disk unseen.
   */
  heldBytes: number
  /**
   * Bytes the files of one claim may take together, whoever uploads them: each request and
   * each uploader's holding area is bounded, but request after request to one claim was not.
   */
  claimBytes: number
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = {
  imageBytes: 15 * 1024 * 1024,
  videoBytes: 200 * 1024 * 1024,
  pdfBytes: 10 * 1024 * 1024,
  filesPerRequest: 10,
  // Five videos of the largest size: more than any claim is opened with.
  heldBytes: 1024 * 1024 * 1024,
  // Twice what one person may hold: a claim opened with a full holding area still takes the
  // inspection photos and the proofs of payment that follow.
  claimBytes: 2 * 1024 * 1024 * 1024,
}

/** The bytes one claim's files may take: the operator's megabytes, else the default. */
export const claimBytesLimit = (config: { claimFilesMegabytes?: number | undefined }): number =>
  config.claimFilesMegabytes === undefined
    ? DEFAULT_UPLOAD_LIMITS.claimBytes
    : config.claimFilesMegabytes * 1024 * 1024

/** A new check of a whole file of an accepted type (as `judgeFileType` answers it). */
export function startStructureCheck(contentType: string): StructureCheck {
  const allowed = ALLOWED_TYPES[contentType]
  if (!allowed) throw new Error(`${contentType} is not an accepted type`)
  return allowed.checkStructure()
}

export const limitFor = (category: MediaCategory, limits: UploadLimits): number =>
  category === 'image' ? limits.imageBytes : category === 'video' ? limits.videoBytes : limits.pdfBytes

export const largestLimit = (limits: UploadLimits): number =>
  Math.max(limits.imageBytes, limits.videoBytes, limits.pdfBytes)

// Declared types that say nothing about the content: no disagreement possible.
const UNINFORMATIVE = new Set(['', 'application/octet-stream', 'binary/octet-stream'])

/** The allowed types as the refusal names them; the message catalogue lists the same in each language. */
const ALLOWED_NAMES = 'JPEG, PNG, WebP, HEIC, MP4, MOV, WebM and PDF'

export type TypeVerdict =
  | { ok: true; contentType: string; category: MediaCategory }
  | {
      ok: false
      /** Why, in English; `refusal` is the same as a catalogue message (without the field it names). */
      reason: string
      refusal: Message
    }

/**
 * Checks the type detected from the bytes against the allowed list and against what the
 * client claimed (its declared content type and its file name's extension). A claim that
 * disagrees with the content is refused even when the content itself would be allowed:
 * it is a mistake at best and a disguise at worst.
 */
export function judgeFileType(input: {
  detected: string | undefined
  declaredType: string | undefined
  fileName: string | undefined
}): TypeVerdict {
  const allowed = input.detected === undefined ? undefined : ALLOWED_TYPES[input.detected]
  if (!input.detected || !allowed) {
    const refusal: Message = input.detected
      ? { key: 'files.type.not-allowed', params: { detected: input.detected } }
      : { key: 'files.type.unrecognised' }
    return {
      ok: false,
      reason: `the content is ${input.detected ?? 'not a recognised file type'}; allowed are ${ALLOWED_NAMES}`,
      refusal,
    }
  }
  const declared = (input.declaredType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (!UNINFORMATIVE.has(declared) && !allowed.declared.includes(declared)) {
    return {
      ok: false,
      reason: `declared as ${declared} but the content is ${input.detected}`,
      refusal: { key: 'files.type.declared-mismatch', params: { declared, detected: input.detected } },
    }
  }
  // The name as it will be stored and downloaded: a character the cleaning drops (a NUL, a
  // direction mark, a trailing dot) must not hide the extension the saved file ends up with.
  const extension = extensionOf(sanitizeFileName(input.fileName))
  if (extension !== null && !allowed.extensions.includes(extension)) {
    return {
      ok: false,
      reason: `named .${extension} but the content is ${input.detected}`,
      refusal: { key: 'files.type.extension-mismatch', params: { extension, detected: input.detected } },
    }
  }
  return { ok: true, contentType: input.detected, category: allowed.category }
}

const extensionOf = (name: string): string | null => {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(name.trim())
  return match?.[1] ? match[1].toLowerCase() : null
}

const MAX_NAME_LENGTH = 120
/** The device names of Windows, alone or before any extension (`nul`, `COM1.png`, `aux .tar.gz`). */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])\s*(\.|$)/i
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g

/**
 * A client's file name made safe to show and to put in a Content-Disposition header: no
 * folders, no control or bidirectional-override characters (which can disguise
 * `exe.jpg` as `gpj.exe`), no leading or trailing dots, no Windows device name, at most 120
 * characters keeping the extension.
 * It is never used to name anything on disk.
 */
export function sanitizeFileName(raw: string | undefined): string {
  const base = (raw ?? '').normalize('NFC').split(/[/\\]/).pop() ?? ''
  const cleaned = base
    // Every control character and every bidirectional control Unicode names, the Arabic
    // letter mark (U+061C) too, which a list of ranges had left out.
    .replace(/[\p{Cc}\p{Bidi_Control}]/gu, '')
    // Half of a surrogate pair is no character: it cannot be encoded for a header (and
    // `encodeURIComponent` throws on it), so it goes like the control characters.
    .replace(LONE_SURROGATE, '')
    .replace(/\s+/g, ' ')
    // Dots and spaces in any order: `. .profile` is as hidden as `.profile`.
    .replace(/^[.\s]+/, '')
    // Trailing dots and spaces go as well: Windows and browsers drop them when saving, so
    // `page.html.` would be saved as `page.html`.
    .replace(/[.\s]+$/, '')
  if (cleaned === '') return 'file'
  // Windows opens a device, not a file, under these names whatever the extension: a download
  // saved as `CON.jpg` fails or reaches the console. Browsers put an underscore before them.
  if (WINDOWS_DEVICE.test(cleaned)) return sanitizeFileName(`_${cleaned}`)
  const chars = Array.from(cleaned)
  if (chars.length <= MAX_NAME_LENGTH) return cleaned
  const dot = cleaned.lastIndexOf('.')
  const extension = dot > 0 && cleaned.length - dot <= 11 ? cleaned.slice(dot) : ''
  const stem = Array.from(extension ? cleaned.slice(0, dot) : cleaned)
  const kept = stem.slice(0, MAX_NAME_LENGTH - Array.from(extension).length).join('')
  return extension ? kept.trimEnd() + extension : kept.replace(/[.\s]+$/, '')
}

/** `attachment` with an ASCII fallback and the exact name in RFC 5987 form. */
export function contentDispositionFor(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
