import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parse } from 'csv-parse/sync'
import { testEngines } from '../../src/db/test-database.ts'
import { findCjkFont } from '../../src/files/documents/pdf-document.ts'
import { extractPdfText } from '../../src/files/documents/pdf-text.test-support.ts'
import type { RecoveryView } from '../../src/recoveries/recovery.schemas.ts'
import { type ClaimsWorld, openClaimsWorld, type Party } from '../claims/claim-factories.ts'
import {
  recoveriesOfClaim,
  seedDealerWarrantyRepair,
  seedIstDistributorPromise,
} from './recovery-factories.ts'

/**
 * A reader of Chinese gets each recovery line and each reason for none in Chinese; a reader of
 * English, and every program reading `description` and `message`, the English as before.
 */

const PARTS = 'TEC cooler module × 1 at cost'
const LABOUR = 'Labour CAM-COOLED: 1.5 h standard time'
const as = (party: Party, language: string) => ({ ...party.headers, 'accept-language': language })

for (const engine of testEngines()) {
  describe(`${engine}: recovery lines in the reader's language`, () => {
    let world: ClaimsWorld
    let recoveryId: string
    let promised: string
    before(async () => {
      world = await openClaimsWorld(engine)
      const [recovery] = await recoveriesOfClaim(world, await seedDealerWarrantyRepair(world))
      assert.ok(recovery)
      recoveryId = recovery.id
      promised = await seedIstDistributorPromise(world)
    })
    after(() => world.close())

    const read = async (party: Party, language: string) => {
      const response = await world.app.inject({
        url: `/api/v1/recoveries/${recoveryId}`,
        headers: as(party, language),
      })
      assert.equal(response.statusCode, 200, response.body)
      return response.json() as RecoveryView
    }
    const words = (view: RecoveryView | undefined) =>
      view?.lines.map((l) => [l.description, l.localDescription]).sort()

    test('a Chinese reader gets each line in Chinese, an English reader the English as before', async () => {
      const chinese = await read(world.dealer, 'zh-CN,zh;q=0.9')
      assert.deepEqual(words(chinese), [
        [LABOUR, '工时 CAM-COOLED：标准工时 1.5 小时'],
        [PARTS, 'TEC cooler module × 1，按成本价'],
      ])
      const english = await read(world.dealer, 'en-GB')
      assert.deepEqual(words(english), [
        [LABOUR, LABOUR],
        [PARTS, PARTS],
      ])
      // Apart from the reader's words, the two answers are the same claim, key and values included.
      const strip = (view: RecoveryView) => ({
        ...view,
        terms: { id: view.terms.id, version: view.terms.version },
        lines: view.lines.map(({ localDescription: _words, ...line }) => line),
      })
      assert.deepEqual(strip(chinese), strip(english))
      // The terms are named by their title in the reader's language, the code kept beside it.
      assert.deepEqual(chinese.terms, {
        id: 'player-one-dealer',
        version: '1',
        title: 'Player One 经销商保修服务费用报销',
      })
      assert.equal(english.terms.title, 'Player One dealer warranty reimbursement')
      const labour = english.lines.find((l) => l.kind === 'labour')
      assert.equal(labour?.descriptionKey, 'recovery.line.labour')
      assert.deepEqual(labour?.descriptionParams, { repairCode: 'CAM-COOLED', hours: 1.5 })
      // No language asked for: English, as the API always answered.
      const plain = await world.app.inject({
        url: `/api/v1/recoveries/${recoveryId}`,
        headers: world.dealer.headers,
      })
      assert.deepEqual(words(plain.json() as RecoveryView), words(english))
    })

    test('the list and a step answer in the reader’s language too', async () => {
      const listed = await world.app.inject({
        url: `/api/v1/recoveries?claimId=${(await read(world.staff, 'en')).lines[0]?.claimId}`,
        headers: as(world.staff, 'zh'),
      })
      const [item] = (listed.json() as { items: RecoveryView[] }).items
      assert.ok(item?.lines.some((l) => l.localDescription === '工时 CAM-COOLED：标准工时 1.5 小时'))
      const current = await world.app.inject({
        url: `/api/v1/recoveries/${recoveryId}`,
        headers: world.staff.headers,
      })
      const submitted = await world.app.inject({
        method: 'POST',
        url: `/api/v1/recoveries/${recoveryId}/submit`,
        headers: { ...as(world.dealer, 'zh'), 'if-match': String(current.headers.etag) },
        payload: {},
      })
      assert.equal(submitted.statusCode, 200, submitted.body)
      const answer = submitted.json() as RecoveryView
      assert.equal(answer.state, 'submitted')
      assert.deepEqual(words(answer), words(await read(world.dealer, 'zh')))
    })

    test('the statement in Chinese prints the lines in Chinese; the CSV keeps the English in description', async () => {
      const csv = await world.app.inject({
        url: `/api/v1/recoveries/${recoveryId}/statement.csv?locale=zh`,
        headers: world.dealer.headers,
      })
      assert.equal(csv.statusCode, 200, csv.body)
      const rows = parse(csv.body, { columns: true }) as Record<string, string>[]
      assert.deepEqual(rows.map((r) => [r.description, r.local_description]).sort(), [
        [LABOUR, '工时 CAM-COOLED：标准工时 1.5 小时'],
        [PARTS, 'TEC cooler module × 1，按成本价'],
      ])
      const english = await world.app.inject({
        url: `/api/v1/recoveries/${recoveryId}/statement.csv`,
        headers: world.dealer.headers,
      })
      for (const row of parse(english.body, { columns: true }) as Record<string, string>[])
        assert.equal(row.local_description, row.description)
      if (findCjkFont() === null) return
      const pdf = await world.app.inject({
        url: `/api/v1/recoveries/${recoveryId}/statement.pdf?locale=zh`,
        headers: world.dealer.headers,
      })
      assert.equal(pdf.statusCode, 200)
      // The PDF comes compressed; its text is checked in recovery-statement.test.ts, here that
      // the Chinese one is not the English one.
      const englishPdf = await world.app.inject({
        url: `/api/v1/recoveries/${recoveryId}/statement.pdf`,
        headers: world.dealer.headers,
      })
      assert.notDeepEqual(pdf.rawPayload, englishPdf.rawPayload)
      assert.match(extractPdfText(englishPdf.rawPayload), /Labour CAM-COOLED/)
    })

    test('a line filed before lines kept their message shows its stored English to every reader', async () => {
      const view = await read(world.dealer, 'zh')
      const labour = view.lines.find((l) => l.kind === 'labour')
      assert.ok(labour)
      const labourId = labour.id
      await world.database.db
        .updateTable('recovery_lines')
        .set({ description_message_json: null })
        .where('id', '=', labourId)
        .execute()
      for (const language of ['zh', 'en']) {
        const again = (await read(world.dealer, language)).lines.find((l) => l.id === labourId)
        assert.equal(again?.description, LABOUR)
        assert.equal(again?.localDescription, LABOUR, language)
        assert.equal(again?.descriptionKey, null)
        assert.equal(again?.descriptionParams, null)
      }
      // The other line is still worded for its reader.
      const parts = (await read(world.dealer, 'zh')).lines.find((l) => l.kind === 'parts')
      assert.equal(parts?.localDescription, 'TEC cooler module × 1，按成本价')
    })

    test('why a claim yields none: the English message as before, and the reader’s words beside it', async () => {
      const outcome = async (language: string) => {
        const response = await world.app.inject({
          url: `/api/v1/recoveries/outcomes/${promised}`,
          headers: as(world.staff, language),
        })
        assert.equal(response.statusCode, 200, response.body)
        return (
          response.json() as {
            reasons: { code: string; message: string; messageKey?: string; localMessage: string }[]
          }
        ).reasons.find((r) => r.code === 'own-commitment')
      }
      const chinese = await outcome('zh')
      const english = await outcome('en')
      assert.equal(chinese?.message, english?.message)
      assert.equal(english?.localMessage, english?.message)
      assert.equal(
        english?.message,
        'Labour, free as promised by the distributor (labour) was borne by the dealer although the decision names customer: For other commitments made by the distributor to you that are not guaranteed by Anshitong Technology, Anshitong Technology does not assume any responsibility.',
      )
      assert.equal(chinese?.messageKey, 'recovery.finding.own-commitment')
      // The kind and both parties in words; what staff typed and the terms' own words as written.
      assert.equal(
        chinese?.localMessage,
        'Labour, free as promised by the distributor（人工）由经销商承担，但保修决定指定由客户支付：For other commitments made by the distributor to you that are not guaranteed by Anshitong Technology, Anshitong Technology does not assume any responsibility.',
      )
      // An outcome derived before reasons kept their key shows its English to every reader.
      await world.database.db
        .updateTable('recovery_outcomes')
        .set({ reasons_json: JSON.stringify([{ code: 'own-commitment', message: english?.message }]) })
        .where('claim_id', '=', promised)
        .execute()
      const older = await outcome('zh')
      assert.equal(older?.localMessage, english?.message)
      assert.equal(older?.messageKey, undefined)
    })
  })
}
