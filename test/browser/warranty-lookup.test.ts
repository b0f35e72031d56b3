import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import {
  DESK,
  findAccessibilityGaps,
  type Harness,
  openPage,
  PHONE,
  readHorizontalOverflow,
  saveScreenshot,
  startHarness,
} from './browser-harness.ts'

let harness: Harness
before(async () => {
  harness = await startHarness()
})
after(async () => {
  await harness?.close()
})

for (const [label, viewport] of [
  ['phone', PHONE],
  ['desk', DESK],
] as const) {
  test(`public warranty lookup by serial shows coverage and policy (${label})`, async () => {
    const serial = harness.demo.serials[0]
    assert.ok(serial, 'the demo seed has units')
    const { page, context, problems } = await openPage(harness, viewport)
    await page.goto('/')
    await page.getByLabel('Serial number').fill(serial)
    await page.getByRole('button', { name: 'Check', exact: true }).click()
    const result = page.getByTestId('warranty-result')
    await result.waitFor()
    assert.match((await result.textContent()) ?? '', new RegExp(serial))
    const status = (await page.getByTestId('warranty-status').textContent()) ?? ''
    assert.match(status, /In warranty until|The warranty ended|The warranty starts|no standard warranty/)
    assert.match((await result.textContent()) ?? '', /Warranty policy/)
    // The policy by its title, never its id (`player-one`, `retailer`).
    const answer = (await (
      await page.request.get(`/api/v1/units/${encodeURIComponent(serial)}/warranty`)
    ).json()) as {
      policy: { id: string; title: string }
    }
    assert.ok((await result.textContent())?.includes(answer.policy.title), answer.policy.title)
    assert.ok(!((await result.textContent()) ?? '').includes(`${answer.policy.id},`), answer.policy.id)
    assert.equal(await readHorizontalOverflow(page), 0, 'no sideways scrolling')
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, `warranty-lookup-${label}`)
    assert.deepEqual(problems, [])
    await context.close()
  })
}

test('an unknown serial says so in plain words', async () => {
  const { page, context, problems } = await openPage(harness, PHONE, { allow: [/404/] })
  await page.goto('/warranty/NO-SUCH-UNIT-1')
  await page.getByTestId('lookup-not-found').waitFor()
  assert.match((await page.getByTestId('lookup-not-found').textContent()) ?? '', /NO-SUCH-UNIT-1/)
  await saveScreenshot(page, 'warranty-lookup-unknown')
  assert.deepEqual(problems, [])
  await context.close()
})

test('the lookup page is keyboard reachable: tab reaches the serial field and the button', async () => {
  const { page, context } = await openPage(harness, DESK)
  await page.goto('/')
  const reached = new Set<string>()
  for (let i = 0; i < 20; i += 1) {
    await page.keyboard.press('Tab')
    reached.add(
      await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent || ''),
    )
  }
  assert.ok(reached.has('serial'), 'the serial field takes focus')
  assert.ok(
    [...reached].some((text) => text.trim() === 'Check'),
    'the Check button takes focus',
  )
  await context.close()
})
