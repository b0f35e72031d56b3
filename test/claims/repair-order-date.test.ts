import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import { humanDate } from '../../src/shared/human-date.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedIstExpiredUnit,
  TODAY,
} from './claim-factories.ts'

const THREE_DAYS_LATER = '2026-01-23'

for (const engine of testEngines()) {
  describe(`${engine}: the repair order's issue date`, () => {
    let world: ClaimsWorld
    let claimId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedIstExpiredUnit(world)))
      claimId = opened.id
      await act(world, world.staff, claimId, 'authorize-return')
      // The unit arrives three days on: the claim changes after the order was issued.
      world.clock.now = new Date(`${THREE_DAYS_LATER}T08:00:00.000Z`)
      await act(world, world.staff, claimId, 'receive-unit')
    })
    after(() => world.close())

    const printedText = async () => {
      const pdf = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}/repair-order.pdf`,
        headers: world.customer.headers,
      })
      assert.equal(pdf.statusCode, 200, pdf.body)
      return extractPdfText(pdf.rawPayload)
    }

    test('a reprint after later steps is dated the day the return was authorised', async () => {
      const text = await printedText()
      assert.ok(text.includes(`Issued: ${humanDate(TODAY, 'en')}`), text)
      assert.ok(!text.includes(humanDate(THREE_DAYS_LATER, 'en')), 'not the day of the last change')
    })

    test('a return authorised before its day was kept is dated by its authorisation event', async () => {
      const row = await world.database.db
        .selectFrom('claims')
        .select('rma_json')
        .where('id', '=', claimId)
        .executeTakeFirstOrThrow()
      const { issuedAt, ...older } = JSON.parse(row.rma_json ?? '{}') as { issuedAt?: string }
      assert.ok(issuedAt?.startsWith(TODAY), `the authorisation keeps its time: ${issuedAt}`)
      await world.database.db
        .updateTable('claims')
        .set({ rma_json: JSON.stringify(older) })
        .where('id', '=', claimId)
        .execute()
      const text = await printedText()
      assert.ok(text.includes(`Issued: ${humanDate(TODAY, 'en')}`), text)
    })
  })
}
