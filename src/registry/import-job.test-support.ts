import assert from 'node:assert/strict'
import type { HttpApp } from '../http/types.ts'
import type { ImportJobView } from './import-job.schemas.ts'

/** Polls an import job over HTTP until it is no longer running (five seconds at most); the job as it ended. */
export async function waitForJob(
  app: HttpApp,
  headers: Record<string, string>,
  id: string,
): Promise<ImportJobView> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers })
    assert.equal(response.statusCode, 200, response.body)
    const job = response.json() as ImportJobView
    if (job.status !== 'running') return job
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`import job ${id} did not finish`)
}
