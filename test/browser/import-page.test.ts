import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  findAccessibilityGaps,
  findSignIn,
  type Harness,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  signIn,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

/** 2,000 good unit sales and two bad rows, as a seller's ERP would export them. */
function aUnitsCsv(prefix: string): string {
  const lines = ['serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer']
  for (let i = 0; i < 2000; i++) {
    lines.push(`${prefix}-${String(i).padStart(5, '0')},ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,`)
  }
  lines.push(`${prefix}-BAD1,no-such-camera,2025-01-02,2025-01-03,2025-01-10,direct,`)
  lines.push(`${prefix}-BAD2,ares-mpro,2025-02-30,2025-03-02,2025-03-09,direct,`)
  return `${lines.join('\n')}\n`
}

for (const [label, viewport] of [
  ['phone', PHONE],
  ['desk', DESK],
] as const) {
  test(`a manager imports units from CSV and the page follows the job to the end (${label})`, async () => {
    const manager = findSignIn(harness, 'manager')
    const { page, context, problems } = await openPage(harness, viewport)
    await signIn(page, manager.email, manager.password)
    await page.goto('/staff/import')
    await page.getByRole('heading', { name: 'Import', exact: true }).waitFor()
    await page.getByLabel('CSV file').setInputFiles({
      name: 'units.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(aUnitsCsv(`WEB${label.toUpperCase()}`)),
    })
    const polls: string[] = []
    page.on('request', (request) => {
      if (/\/api\/v1\/imports\/imp-/.test(request.url())) polls.push(request.url())
    })
    await page.getByRole('button', { name: 'Start import', exact: true }).click()
    await page.locator('[data-testid="import-status"][data-status="done"]').waitFor()
    assert.ok(polls.length >= 1, 'the page asks the server how the job is going')
    const job = page.getByTestId('import-job')
    assert.match((await job.textContent()) ?? '', /2002 of 2002 rows/)
    assert.match((await job.textContent()) ?? '', /2000 imported, 0 unchanged, 2 rejected/)
    assert.equal(await page.locator('#import-rows').getAttribute('value'), '100')
    const errors = page.getByTestId('import-errors')
    assert.match((await errors.textContent()) ?? '', /model/)
    assert.match((await errors.textContent()) ?? '', /purchasedOn/)
    const overflow = await readHorizontalOverflow(page)
    assert.equal(overflow, 0, `the page overflows by ${overflow}px`)
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, `staff-import-done-${label}`)
    assert.deepEqual(problems, [])
    await context.close()
  })
}
