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

/** The organisation of the demo's first dealer user, and that user. */
async function firstDealer() {
  const dealer = findSignIn(harness, 'dealer')
  const org = await harness.database.db
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.org_id')
    .select(['organisations.id', 'organisations.name'])
    .where('users.email', '=', dealer.email)
    .executeTakeFirstOrThrow()
  return { dealer, org }
}

test('a manager deactivates a dealer from the organisations page and reactivates it in Chinese; support sees the status only', async () => {
  const { dealer, org } = await firstDealer()
  const manager = findSignIn(harness, 'manager')

  // English, on a desk: from the queue to the list; the dealer deactivated, its user refused.
  {
    const { page, context, problems } = await openPage(harness, DESK)
    page.on('dialog', (dialog) => void dialog.accept())
    await signIn(page, manager.email, manager.password)
    await page.goto('/staff')
    await page.getByRole('link', { name: 'Dealers and agents', exact: true }).click()
    await page.getByRole('heading', { name: 'Organisations', exact: true }).waitFor()
    const row = page.locator(`tr[data-org="${org.id}"]`)
    await row.waitFor()
    assert.ok((await row.textContent())?.includes('Active'))
    await row.getByRole('button', { name: 'Deactivate', exact: true }).click()
    await page.getByTestId('organisation-changed').waitFor()
    await page.locator(`tr[data-org="${org.id}"][data-active="no"]`).waitFor()
    assert.match((await row.textContent()) ?? '', /Inactive since/)
    assert.ok(await row.getByRole('button', { name: 'Reactivate', exact: true }).isVisible())
    assert.equal(await readHorizontalOverflow(page), 0)
    assert.deepEqual(await findAccessibilityGaps(page), [])
    await saveScreenshot(page, 'staff-organisations-en')
    const refused = await page.request.post('/api/v1/auth/sign-in', {
      data: { email: dealer.email, password: dealer.password },
    })
    assert.equal(refused.status(), 403)
    assert.match(((await refused.json()) as { error: { message: string } }).error.message, /inactive/)
    assert.deepEqual(problems, [])
    await context.close()
  }

  // Support, on a phone: the status in the list, and no button to change it.
  {
    const support = findSignIn(harness, 'support')
    const { page, context, problems } = await openPage(harness, PHONE)
    await signIn(page, support.email, support.password)
    await page.goto('/staff/organisations')
    const row = page.locator(`tr[data-org="${org.id}"][data-active="no"]`)
    await row.waitFor()
    assert.equal(await row.getByRole('button').count(), 0)
    assert.equal(await readHorizontalOverflow(page), 0)
    assert.deepEqual(problems, [])
    await context.close()
  }

  // Chinese, on a desk: the manager reactivates it, and its user signs in again.
  {
    const { page, context, problems } = await openPage(harness, DESK)
    await signIn(page, manager.email, manager.password)
    await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
    await page.goto('/staff/organisations')
    await page.getByRole('heading', { name: '组织', exact: true }).waitFor()
    const row = page.locator(`tr[data-org="${org.id}"]`)
    await row.waitFor()
    assert.match((await row.textContent()) ?? '', /起停用/)
    await saveScreenshot(page, 'staff-organisations-zh')
    await row.getByRole('button', { name: '重新启用', exact: true }).click()
    await page.getByTestId('organisation-changed').waitFor()
    await page.locator(`tr[data-org="${org.id}"][data-active="yes"]`).waitFor()
    assert.ok((await row.textContent())?.includes('启用中'))
    assert.ok(await row.getByRole('button', { name: '停用', exact: true }).isVisible())
    assert.deepEqual(await findAccessibilityGaps(page), [])
    const back = await page.request.post('/api/v1/auth/sign-in', {
      data: { email: dealer.email, password: dealer.password },
    })
    assert.equal(back.status(), 200, await back.text())
    assert.deepEqual(problems, [])
    await context.close()
  }
})

test('a manager whose role is taken away while the page is open reads the server refusal in Chinese, and the button works again', async () => {
  const { org } = await firstDealer()
  const manager = findSignIn(harness, 'manager')
  // The change the server refuses below is expected in the console.
  const { page, context, problems } = await openPage(harness, DESK, { allow: [/status of 403/] })
  page.on('dialog', (dialog) => void dialog.accept())
  await signIn(page, manager.email, manager.password)
  await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await page.goto('/staff/organisations')
  const row = page.locator(`tr[data-org="${org.id}"][data-active="yes"]`)
  await row.waitFor()

  const users = () => harness.database.db.updateTable('users').where('email', '=', manager.email)
  await users().set({ role: 'support' }).execute()
  try {
    const deactivate = row.getByRole('button', { name: '停用', exact: true })
    await deactivate.click()
    await page.getByRole('alert').getByText('此操作需要以下角色之一：经理、管理员', { exact: true }).waitFor()
    assert.equal(await page.getByTestId('organisation-changed').count(), 0)
    assert.ok(await deactivate.isEnabled())
    assert.ok((await row.textContent())?.includes('启用中'), 'the refused change changed nothing')
  } finally {
    await users().set({ role: 'manager' }).execute()
  }
  assert.deepEqual(problems, [])
  await context.close()
})
