/**
 * What other features may use of files. Everything not exported here is internal to the
 * feature; a lint rule (biome.json, noRestrictedImports) refuses imports that go around it.
 */

export type { RenderOptions } from './documents/pdf-document.ts'
export { colonOf, drawTableRow, fitForFont, startPdf } from './documents/pdf-document.ts'
export type { Letterhead, PaymentInstructions } from './documents/render-letterhead.ts'
export { paymentInstructionLines } from './documents/render-letterhead.ts'
export { renderQuotePdf } from './documents/render-quote-pdf.ts'
export { renderRepairOrderPdf } from './documents/render-repair-order-pdf.ts'
export { formatMinor } from './domain/document-labels.ts'
export type { UploadLimits } from './domain/upload-rules.ts'
export { claimBytesLimit, DEFAULT_UPLOAD_LIMITS, sanitizeFileName } from './domain/upload-rules.ts'
export { findFile, listClaimFiles } from './file.store.ts'
export {
  holdsProofOfPurchase,
  refuseLooseProofs,
  refuseOverfullClaim,
  takeHeldFiles,
} from './held-uploads.ts'
export { checkLogoFile, readLogoFile } from './logo-file.ts'
export type { UploadPart } from './upload-files.ts'
export { uploadFiles } from './upload-files.ts'
