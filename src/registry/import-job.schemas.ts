import { z } from 'zod'

/** Shapes of the import job routes; the web import page mirrors `importJobResponse`. */
export const importJobParams = z.object({ id: z.string().min(1).max(100) })

export const importStartedResponse = z.object({ id: z.string() })

export const importJobResponse = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  fileName: z.string(),
  /** Data rows in the file, counted on upload; `processed` approaches it as the job runs. */
  total: z.number().nullable(),
  processed: z.number(),
  imported: z.number(),
  unchanged: z.number(),
  rejected: z.number(),
  /** The first 100 rejected rows; a failed job has one entry saying why. */
  errors: z.array(
    z.object({
      line: z.number(),
      field: z.string(),
      message: z.string().describe("Why the row was rejected, in the reader's language."),
      messageKey: z.string().optional().describe('The message catalogue key of the rejection.'),
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
})
export type ImportJobView = z.infer<typeof importJobResponse>
