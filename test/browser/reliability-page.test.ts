import assert from 'node:assert/strict'
import fs from 'node:fs'
import { after, before, test } from 'node:test'
import type { Page } from 'playwright-core'
import type { ReliabilityReport } from '../../src/reliability/reliability.schemas.ts'
import {
  DESK,
  findSignIn,
  type Harness,
  openPage,
  saveScreenshot,
  sendAndReadOutbox,
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

/** The demo model with three years of field history and a batch that turned bad. */
const MODEL = 'Zeus 455M PRO'

/** Pixels of a canvas that are not blank: a chart that drew nothing has none. */
async function inkedPixels(page: Page, name: string): Promise<number> {
  return page.getByRole('img', { name }).evaluate((node) => {
    const canvas = node as HTMLCanvasElement
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data
    let inked = 0
    if (data) for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) inked++
    return inked
  })
}

test('the reliability page shows the survival curve, the Weibull plot, the Nevada table and the warnings, in English and Chinese, and exports CSV', async () => {
  const manager = findSignIn(harness, 'manager')
  const { page, context, problems } = await openPage(harness, DESK)
  await signIn(page, manager.email, manager.password)
  await page.goto('/staff/reliability')
  await page.getByRole('heading', { name: 'Field reliability', exact: true }).waitFor()
  // The model field offers the catalogue's models as it is typed in.
  await page.locator(`#reliability-models option[value="${MODEL}"]`).waitFor({ state: 'attached' })
  await page.getByLabel('Model').fill(MODEL)
  await page.getByRole('button', { name: 'Analyse' }).click()
  const summary = page.getByTestId('reliability-summary')
  await summary.getByRole('heading', { name: MODEL }).waitFor()

  // What the page shows is what the API answers for the same question.
  const report = (await (
    await page.request.get(`/api/v1/reports/reliability?model=${encodeURIComponent(MODEL)}`)
  ).json()) as ReliabilityReport
  assert.ok(report.weibull, 'the demo history is enough for a fit')
  // The address names the model by its id, as a warning's e-mail links to it.
  assert.equal(new URL(page.url()).searchParams.get('model'), report.scope.model?.id)
  const summaryText = (await summary.textContent()) ?? ''
  assert.ok(summaryText.includes(report.counts.failures.toLocaleString('en-GB')), summaryText)

  const survivalName = 'Survival (Kaplan–Meier, 95 % band)'
  const weibullName = 'Weibull probability plot'
  assert.ok((await inkedPixels(page, survivalName)) > 500, 'the survival curve is drawn')
  assert.ok((await inkedPixels(page, weibullName)) > 500, 'the Weibull plot is drawn')

  const nevada = page.getByTestId('nevada')
  assert.equal(await nevada.locator('tbody tr').count(), report.nevada.rows.length)
  assert.ok(report.nevada.rows.length >= 30, 'three years of start months')
  // Years of report months do not fit across: the latest are in view, beside the start months.
  const wrap = await nevada.locator('xpath=..').boundingBox()
  const latest = await nevada.locator('thead th').last().boundingBox()
  const startMonths = await nevada.locator('thead th').first().boundingBox()
  assert.ok(wrap && latest && startMonths)
  assert.ok(latest.x + latest.width <= wrap.x + wrap.width + 1, 'the latest report month is in view')
  assert.ok(Math.abs(startMonths.x - wrap.x) <= 1, 'the start months stay at the left edge')

  // The forecast's cost is what the maker, seller and dealers bear, in whole dollars as the API
  // counts it; what customers pay is said apart, never inside it.
  const usd = report.forecast?.cost12Months.find((c) => c.currency === 'USD')
  assert.ok(usd, 'the demo claims cost something in dollars')
  const next12 = (await page.getByTestId('reliability-next12').textContent()) ?? ''
  const borne = next12.match(/· \$([\d,]+)\.00 borne by the maker, seller and dealers/)
  assert.ok(borne, next12)
  assert.equal(Number(borne[1]?.replaceAll(',', '')), Math.round(usd.borne.estimate / 100))
  const paid = next12.match(/, and \$([\d,]+)\.00 paid by customers/)
  assert.equal(paid === null, usd.customerPaid.estimate === 0, next12)
  if (paid) assert.equal(Number(paid[1]?.replaceAll(',', '')), Math.round(usd.customerPaid.estimate / 100))

  // Every unit of the demo has a start date: nothing is said of units left out.
  assert.doesNotMatch(summaryText, /units left out/)

  const warnings = page.getByTestId('reliability-warnings')
  const batchWarning = warnings.locator('li', { hasText: 'batch B3' }).first()
  await batchWarning.waitFor()
  assert.match((await batchWarning.textContent()) ?? '', /^(Caution|Critical) batch B3, [A-Z][a-z]+ \d{4}: /)
  assert.equal(await warnings.locator('li').count(), report.warnings.length)
  await saveScreenshot(page, 'reliability-en')

  // The CSV holds the survival curve and the Nevada table, row for row.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    summary.getByRole('button', { name: 'Export CSV' }).click(),
  ])
  assert.match(download.suggestedFilename(), /^reliability-player-one-zeus-455m-pro-\d{4}-\d{2}-\d{2}\.csv$/)
  const csvText = fs.readFileSync((await download.path()) ?? '', 'utf8')
  // UTF-8 said in the file, as a spreadsheet needs to read Chinese column names.
  assert.ok(csvText.startsWith('\uFEFF'))
  const csv = csvText.slice(1).trim().split('\n')
  assert.equal(csv[0], 'age_days,at_risk,failures,survival,lower,upper')
  const blank = csv.indexOf('')
  assert.equal(blank - 1, report.survival.length)
  assert.equal(csv[blank + 1]?.split(',').slice(0, 2).join(','), 'start_month,units')
  assert.equal(csv.length - blank - 2, report.nevada.rows.length)
  const firstPoint = csv[1]?.split(',').map(Number)
  assert.equal(firstPoint?.[0], report.survival[0]?.age)
  assert.equal(firstPoint?.[3], report.survival[0]?.survival)

  // What if the term were three years: the claims and cost under it, beside today's term.
  // Typed as a number and a unit, and said in words: nobody types or reads `P3Y`.
  await page.getByLabel('What if the term were').fill('3')
  await page.getByLabel('Unit', { exact: true }).selectOption({ label: 'years' })
  await page.getByRole('button', { name: 'Analyse' }).click()
  const whatIf = page.getByTestId('reliability-what-if')
  await whatIf.waitFor()
  assert.equal(new URL(page.url()).searchParams.get('term'), 'P3Y')
  assert.equal(
    await whatIf.evaluate((node) => node.previousElementSibling?.textContent),
    'If the term were 3 years',
  )
  // A draft term's cost is what the trade would bear, as every cost on the page: what customers
  // would pay is said apart, never added in.
  const whatIfText = (await whatIf.textContent()) ?? ''
  assert.match(
    whatIfText,
    /% · [\d,.]+ \[[\d,.]+, [\d,.]+\] · \$[\d,]+\.00 borne by the maker, seller and dealers(, and \$[\d,]+\.00 paid by customers)? \(under the current term: [\d,.]+ · \$[\d,]+\.00 borne by the maker, seller and dealers(, and \$[\d,]+\.00 paid by customers)?\)/,
  )
  const whatIfReport = (await (
    await page.request.get(
      `/api/v1/reports/reliability?model=${encodeURIComponent(report.scope.model?.id ?? '')}&term=P3Y`,
    )
  ).json()) as ReliabilityReport
  const draftUsd = whatIfReport.whatIf?.cost.find((c) => c.currency === 'USD')
  assert.ok(draftUsd, 'the draft term costs something in dollars')
  const draftBorne = whatIfText.match(/· \$([\d,]+)\.00 borne by/)
  assert.equal(
    Number(draftBorne?.[1]?.replaceAll(',', '')),
    Math.round(draftUsd.borne.estimate / 100),
    whatIfText,
  )

  await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await page.reload()
  await page.getByRole('heading', { name: '现场可靠性', exact: true }).waitFor()
  await page.getByTestId('reliability-summary').getByRole('heading', { name: MODEL }).waitFor()
  assert.ok((await inkedPixels(page, '生存曲线（Kaplan–Meier，95% 置信带）')) > 500)
  assert.ok((await inkedPixels(page, '威布尔概率图')) > 500)
  const zhWarning = page.getByTestId('reliability-warnings').locator('li', { hasText: '批次 B3' }).first()
  assert.match(
    (await zhWarning.textContent()) ?? '',
    /^(注意|严重) 批次 B3，\d{4}年\d{1,2}月：实际 \d+ 次故障/,
  )
  assert.equal(await page.getByTestId('nevada').locator('tbody tr').count(), report.nevada.rows.length)
  assert.match(
    (await page.getByTestId('reliability-next12').textContent()) ?? '',
    usd.customerPaid.estimate > 0
      ? /US\$[\d,]+\.00 由厂商、卖家和经销商承担，另有 US\$[\d,]+\.00 由客户支付/
      : /US\$[\d,]+\.00 由厂商、卖家和经销商承担/,
  )
  // The term the link carries is back in the form, and said in Chinese.
  assert.equal(await page.getByLabel('假如保修期为').inputValue(), '3')
  assert.equal(
    await page
      .getByTestId('reliability-what-if')
      .evaluate((node) => node.previousElementSibling?.textContent),
    '假如保修期为 3年',
  )
  // Money as the rest of the app writes it, and the language's own brackets.
  const zhWhatIf = (await page.getByTestId('reliability-what-if').textContent()) ?? ''
  assert.match(
    zhWhatIf,
    / · US\$[\d,]+\.00 由厂商、卖家和经销商承担(，另有 US\$[\d,]+\.00 由客户支付)?（按现行保修期：[\d,.]+ · US\$[\d,]+\.00 由厂商、卖家和经销商承担(，另有 US\$[\d,]+\.00 由客户支付)?）$/,
  )
  assert.doesNotMatch(zhWhatIf, /[()]|USD/)
  // As of today where the seller (Player One, in UTC) is, never a day still to come there.
  const before = new Date().toISOString().slice(0, 10)
  const zhReport = (await (
    await page.request.get(
      `/api/v1/reports/reliability?model=${encodeURIComponent(report.scope.model?.id ?? '')}`,
    )
  ).json()) as ReliabilityReport
  const after = new Date().toISOString().slice(0, 10)
  assert.ok([before, after].includes(zhReport.scope.asOf), `${zhReport.scope.asOf} is not ${before}`)
  const zhDay = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${zhReport.scope.asOf}T12:00:00Z`),
  )
  assert.ok(
    ((await page.getByTestId('reliability-summary').textContent()) ?? '').includes(`截至 ${zhDay}`),
    zhDay,
  )
  // The Chinese reader's CSV names its columns in Chinese; the figures are the same.
  const [zhDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: '导出 CSV' }).click(),
  ])
  const zhCsv = fs
    .readFileSync((await zhDownload.path()) ?? '', 'utf8')
    .slice(1)
    .trim()
    .split('\n')
  assert.equal(zhCsv[0], '使用天数,风险设备数,故障数,生存率,下限,上限')
  assert.equal(zhCsv[zhCsv.indexOf('') + 1]?.split(',').slice(0, 2).join(','), '起始月,设备数')
  await saveScreenshot(page, 'reliability-zh')
  // A link made before the address carried the id, naming the model, still opens it.
  await page.goto(`/staff/reliability?model=${MODEL.replaceAll(' ', '+')}`)
  await page.getByTestId('reliability-summary').getByRole('heading', { name: MODEL }).waitFor()
  assert.equal(await page.getByLabel('型号').inputValue(), MODEL)
  assert.deepEqual(problems, [])
  await context.close()
})

test("a batch warning's e-mail link opens that batch with the warning the e-mail gave, its level and figures, in Chinese", async () => {
  const manager = findSignIn(harness, 'manager')
  const mails = await sendAndReadOutbox(harness)
  const plain = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
  // The demo's bad batch raised critical warnings; its seller, in China, writes in Chinese.
  const mail = mails.find(
    (m) =>
      m.to === manager.email && m.subject.startsWith('严重') && m.links.some((l) => l.includes('batch=B3')),
  )
  assert.ok(mail, mails.map((m) => `${m.to}: ${m.subject}`).join('\n'))
  const month = /（(\d{4}年\d{1,2}月)）$/.exec(mail.subject)?.[1]
  const text = plain(mail.html)
  const observed = /实际 (\d+)/.exec(text)?.[1]
  const expected = /预期 ([\d.]+)/.exec(text)?.[1]
  assert.ok(month && observed && expected, text)

  const { page, context, problems } = await openPage(harness, DESK)
  await signIn(page, manager.email, manager.password)
  await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  const link = new URL(mail.links.find((l) => l.includes('batch=B3')) ?? '')
  await page.goto(`${link.pathname}${link.search}`)
  await page
    .getByTestId('reliability-summary')
    .getByRole('heading', { name: `${MODEL} · 批次 B3`, exact: true })
    .waitFor()
  // The link names the model by its id; the field shows the name the catalogue offers.
  assert.equal(await page.getByLabel('型号').inputValue(), MODEL)
  const warning = page.getByTestId('reliability-warnings').locator('li', { hasText: `批次 B3，${month}` })
  await warning.waitFor()
  assert.match(
    (await warning.textContent())?.replace(/\s+/g, ' ') ?? '',
    new RegExp(
      `^严重 批次 B3，${month}：实际 ${observed} 次故障，按其他批次的拟合曲线预期 ${expected} 次（p = [^）]+）$`,
    ),
  )
  // The page speaks only of the batch, and names no model by its id.
  const all = (await page.getByTestId('reliability-warnings').textContent()) ?? ''
  assert.doesNotMatch(all, /型号|player-one-/)
  await saveScreenshot(page, 'reliability-batch-link-zh')
  assert.deepEqual(problems, [])
  await context.close()
})

test('units left out for want of a warranty start date are said on the page, in English and Chinese', async () => {
  const manager = findSignIn(harness, 'manager')
  const { page, context, problems } = await openPage(harness, DESK)
  await signIn(page, manager.email, manager.password)
  // The demo's units all have their dates: the answer is the real one with 1,234 units left out.
  await page.route('**/api/v1/reports/reliability?*', async (route) => {
    const response = await route.fetch()
    const report = (await response.json()) as ReliabilityReport
    await route.fulfill({
      response,
      json: { ...report, counts: { ...report.counts, unitsWithoutStart: 1234 } },
    })
  })
  await page.goto(`/staff/reliability?model=${encodeURIComponent(MODEL)}`)
  const summary = page.getByTestId('reliability-summary')
  await summary.getByText('1,234 units left out: they have no date their warranty starts from').waitFor()
  await page.evaluate(() => localStorage.setItem('aftercare.language', 'zh'))
  await page.reload()
  await summary.getByText('1,234 台设备未计入：没有可作为保修起始的日期').waitFor()
  assert.deepEqual(problems, [])
  await context.close()
})
