/** An uploaded file: its bytes live on disk under a server-made name, this row says whose and what. */
export interface FilesTable {
  id: string
  /** The claim it belongs to; null for a proof of purchase uploaded before the claim exists. No foreign key: claims owns that table. */
  claim_id: string | null
  kind: string
  /** The client's name, sanitized for display; never used on disk. */
  display_name: string
  /** Detected from the bytes, not taken from the client. */
  content_type: string
  size_bytes: number
  sha256: string
  /** Relative to the data folder: `uploads/<yyyy>/<mm>/<uuid>`. */
  storage_path: string
  uploaded_by: string
  created_at: string
}

/** Tables owned by the files feature. */
export interface FileTables {
  files: FilesTable
}
