import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { renderEmail } from '../../src/notify/domain/render-email.ts'
import { type ClaimsWorld, ORG, openClaimsWorld, type Party } from '../claims/claim-factories.ts'
import {
  orgUser,
  recoveriesOfClaim,
  seedDealerWarrantyRepair,
  seedForwardedAgentUnit,
  seedRetailerDoaRefund,
  step,
} from './recovery-factories.ts'

const PUBLIC_URL = 'https://aftercare.example'

interface Mail {
  topic: string
  recipient: string
  locale: string
  payload: string
}

/** The e-mails written about one recovery claim, by recipient then template. */
async function mailsAbout(world: ClaimsWorld, recoveryId: string): Promise<Mail[]> {
  const rows = await world.database.db
    .selectFrom('outbox_messages')
    .select(['topic', 'recipient', 'locale', 'payload'])
    .where('channel', '=', 'email')
    .where('topic', 'like', 'recovery.%')
    .orderBy('recipient')
    .orderBy('topic')
    .execute()
  return rows
    .map((row) => ({ ...row, locale: String(row.locale) }))
    .filter((row) => (JSON.parse(row.payload) as { recoveryId?: string }).recoveryId === recoveryId)
}

for (const engine of testEngines()) {
  describe(`${engine}: the installation's own seller hears of its recovery claims through its managers and admins`, () => {
    let world: ClaimsWorld
    const staff = {
      manager: 'manager@seller.example',
      admin: 'admin@seller.example',
      support: 'support@seller.example',
      retired: 'retired-manager@seller.example',
    }
    before(async () => {
      world = await openClaimsWorld(engine)
      const { db } = world.database
      await createTestUser(db, { role: 'manager', email: staff.manager, name: 'Mia Manager' })
      await createTestUser(db, { role: 'admin', email: staff.admin, name: '王管理' })
      await createTestUser(db, { role: 'support', email: staff.support })
      await createTestUser(db, { role: 'manager', email: staff.retired })
      // One chose English; the admin is left to the seller's language.
      await db.updateTable('users').set({ locale: 'en' }).where('email', '=', staff.manager).execute()
      await db.updateTable('users').set({ disabled: 1 }).where('email', '=', staff.retired).execute()
    })
    after(() => world.close())

    test('a claim submitted to the seller reaches its managers and admins, each in their language, linking to it', async () => {
      const claimId = await seedDealerWarrantyRepair(world)
      const [recovery] = await recoveriesOfClaim(world, claimId)
      assert.ok(recovery)
      assert.equal(recovery.debtor.id, ORG.playerOne)
      await step(world, world.dealer, recovery.id, 'submit')

      const told = await mailsAbout(world, recovery.id)
      assert.deepEqual(
        told.map((mail) => [mail.recipient, mail.topic, mail.locale]),
        [
          [staff.admin, 'recovery.submitted', 'zh'],
          [staff.manager, 'recovery.submitted', 'en'],
        ],
        'not support, not the technician, not a disabled manager',
      )
      for (const mail of told) {
        const rendered = renderEmail(mail.topic, mail.locale as 'en' | 'zh', JSON.parse(mail.payload), {
          publicUrl: PUBLIC_URL,
          claimId: null,
        })
        assert.ok(
          rendered.html.includes(`${PUBLIC_URL}/recoveries/${recovery.id}`),
          `${mail.recipient}: the link to the recovery claim`,
        )
        if (mail.locale === 'zh') assert.match(rendered.subject, /追偿单/)
        else assert.match(rendered.subject, /^Recovery claim from Starlight Optics/)
      }
    })

    test('the seller as creditor hears its debtor’s answer and payment; a debtor with users of its own is told instead of staff', async () => {
      const playerOne: Party = await orgUser(world, ORG.playerOne)
      const claimId = await seedRetailerDoaRefund(world)
      const [recovery] = await recoveriesOfClaim(world, claimId)
      assert.ok(recovery)
      assert.equal(recovery.creditor.id, ORG.retailer)
      await step(world, world.staff, recovery.id, 'submit')
      const accepted = await step(world, playerOne, recovery.id, 'accept')
      await step(world, playerOne, recovery.id, 'record-payment', {
        amountMinor: accepted.totals.acceptedMinor,
        paidOn: world.clock.now.toISOString().slice(0, 10),
        reference: 'PO-REMIT-31',
      })

      const told = await mailsAbout(world, recovery.id)
      const staffMail = told.filter((mail) => Object.values(staff).includes(mail.recipient))
      assert.deepEqual(
        staffMail.map((mail) => [mail.recipient, mail.topic, mail.locale]),
        [
          [staff.admin, 'recovery.answered', 'zh'],
          [staff.admin, 'recovery.paid', 'zh'],
          [staff.manager, 'recovery.answered', 'en'],
          [staff.manager, 'recovery.paid', 'en'],
        ],
      )
      // Player One has a user of its own: it hears of the submission, and staff do not for it.
      assert.equal(told.length, staffMail.length + 1)
      const paidZh = staffMail.find((mail) => mail.topic === 'recovery.paid' && mail.locale === 'zh')
      assert.ok(paidZh)
      const rendered = renderEmail('recovery.paid', 'zh', JSON.parse(paidZh.payload), {
        publicUrl: PUBLIC_URL,
        claimId: null,
      })
      assert.match(rendered.subject, /已支付/)
      assert.match(rendered.html, /PO-REMIT-31/)
      assert.ok(rendered.html.includes(`${PUBLIC_URL}/recoveries/${recovery.id}`))
    })

    test('another party with nobody on the installation is told nothing: it gets the statement', async () => {
      const claimId = await seedForwardedAgentUnit(world)
      const [recovery] = await recoveriesOfClaim(world, claimId)
      assert.ok(recovery)
      assert.equal(recovery.debtor.id, ORG.aurora)
      await step(world, world.staff, recovery.id, 'submit')
      assert.deepEqual(await mailsAbout(world, recovery.id), [])
    })
  })
}
