import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { testEngines } from '../../src/db/test-database.ts'
import { HOLD_HOURS, sweepHeldUploads } from '../../src/files/held-uploads.ts'
import { samplePdf } from '../../src/files/sample-files.test-support.ts'
import { updateSellerSettings } from '../../src/setup/set-up-seller.ts'
import { isAppError } from '../../src/shared/errors.ts'
import { multipartBody, PNG } from '../security/security-world.ts'
import {
  act,
  type ClaimsWorld,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  type Party,
  seedIstExpiredUnit,
} from './claim-factories.ts'

/** Uploads one file held for later use (`POST /api/v1/files`) and answers its id. */
async function holdFile(world: ClaimsWorld, party: Party, kind: string, name: string, data: Buffer) {
  const type = name.endsWith('.pdf') ? 'application/pdf' : 'image/png'
  const body = multipartBody([
    { name: 'kind', value: kind },
    { name: 'file', filename: name, type, data },
  ])
  const response = await world.app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { ...party.headers, 'content-type': body.contentType },
    payload: body.payload,
  })
  assert.equal(response.statusCode, 201, response.body)
  return (response.json() as { items: { id: string }[] }).items[0]?.id ?? ''
}

/** A PDF with an embedded raster image carries an image XObject. */
const hasImage = (pdf: Buffer) => pdf.includes('/Subtype /Image')

for (const engine of testEngines()) {
  describe(`${engine}: the seller's logo on its documents`, () => {
    let world: ClaimsWorld
    let claimId: string
    let sellerOrgId: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const serial = await seedIstExpiredUnit(world)
      claimId = (await openClaimAs(world, world.customer, openClaimBody(serial))).id
      await act(world, world.staff, claimId, 'authorize-return')
      const unit = await world.database.db
        .selectFrom('units')
        .select('seller_org_id')
        .where('serial', '=', serial)
        .executeTakeFirstOrThrow()
      sellerOrgId = unit.seller_org_id ?? ''
      assert.ok(sellerOrgId)
    })
    after(() => world.close())

    const repairOrder = async () => {
      const pdf = await world.app.inject({
        url: `/api/v1/claims/${claimId}/repair-order.pdf`,
        headers: world.staff.headers,
      })
      assert.equal(pdf.statusCode, 200)
      return pdf.rawPayload
    }

    test('a PNG uploaded as the logo is printed on the repair order', async () => {
      assert.equal(hasImage(await repairOrder()), false, 'no logo before one is set')
      const logo = await holdFile(world, world.staff, 'logo', 'logo.png', PNG)
      const view = await updateSellerSettings(world.ctx, sellerOrgId, { logoFileId: logo })
      assert.equal(view.logoFileId, logo)
      assert.equal(hasImage(await repairOrder()), true, 'the letterhead carries the logo')
    })

    test('the logo in use outlives the holding time of uploads no claim took', async () => {
      const logo = await holdFile(world, world.staff, 'logo', 'logo.png', PNG)
      await updateSellerSettings(world.ctx, sellerOrgId, { logoFileId: logo })
      const later = new Date(world.clock.now.getTime() + (HOLD_HOURS + 1) * 3_600_000)
      await sweepHeldUploads(world.database.db, world.ctx.config.dataDir, later)
      assert.equal(hasImage(await repairOrder()), true, 'the letterhead still carries the logo')
      const row = await world.database.db
        .selectFrom('files')
        .select('id')
        .where('id', '=', logo)
        .executeTakeFirst()
      assert.ok(row, 'the logo stays on file')
    })

    test('only an uploaded logo may be the logo, and only a PNG or a JPEG', async () => {
      const proof = await holdFile(world, world.staff, 'proof-of-purchase', 'pixel.png', PNG)
      const pdf = await holdFile(world, world.staff, 'logo', 'logo.pdf', samplePdf())
      for (const fileId of [proof, pdf, 'f-does-not-exist']) {
        await assert.rejects(
          updateSellerSettings(world.ctx, sellerOrgId, { logoFileId: fileId }),
          (error) => isAppError(error) && error.field === 'logoFileId',
          fileId,
        )
      }
    })
  })
}
