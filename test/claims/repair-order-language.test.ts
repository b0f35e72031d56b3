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

for (const engine of testEngines()) {
  describe(`${engine}: the repair order in the language its reader chose`, () => {
    let world: ClaimsWorld
    let claimId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const opened = await openClaimAs(world, world.customer, openClaimBody(await seedIstExpiredUnit(world)))
      claimId = opened.id
      await act(world, world.staff, claimId, 'authorize-return')
    })
    after(() => world.close())

    const print = (query = '') =>
      world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claimId}/repair-order.pdf${query}`,
        headers: world.customer.headers,
      })

    test("without a choice the sheet is in the customer's own language", async () => {
      const pdf = await print()
      assert.equal(pdf.statusCode, 200, pdf.body)
      const text = extractPdfText(pdf.rawPayload)
      assert.ok(text.includes(`Issued: ${humanDate(TODAY, 'en')}`), text)
      assert.doesNotMatch(text, /开具日期/)
    })

    test('a customer with an English account reading the page in Chinese prints the sheet in Chinese', async () => {
      const pdf = await print('?locale=zh')
      assert.equal(pdf.statusCode, 200, pdf.body)
      const text = extractPdfText(pdf.rawPayload)
      assert.ok(text.includes(`开具日期：${humanDate(TODAY, 'zh')}`), text)
      assert.doesNotMatch(text, /Issued:/)
    })

    test('a language the sheet is not written in is refused, naming the field', async () => {
      const pdf = await print('?locale=fr')
      assert.equal(pdf.statusCode, 400, pdf.body)
      assert.equal((pdf.json() as { error: { field: string } }).error.field, 'querystring.locale')
    })
  })
}
