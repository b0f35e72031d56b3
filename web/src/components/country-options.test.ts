import assert from 'node:assert/strict'
import { test } from 'node:test'
import { countryName, countryOptions } from './country-options.ts'

test('the countries offered are named in the reader language, each once, without withdrawn codes', () => {
  for (const locale of ['en', 'zh-CN']) {
    const options = countryOptions(locale)
    assert.ok(options.length > 240, `${options.length} countries`)
    for (const option of options) assert.match(option.code, /^[A-Z]{2}$/)
    assert.equal(new Set(options.map((o) => o.name)).size, options.length, 'no country under two codes')
    for (const gone of ['DD', 'SU', 'UK', 'YU', 'EU', 'UN', 'ZZ', 'XA'])
      assert.ok(!options.some((o) => o.code === gone), `${gone} is no country to send a parcel to`)
  }
  assert.equal(countryOptions('zh-CN').find((o) => o.code === 'CN')?.name, '中国')
  assert.equal(countryOptions('en').find((o) => o.code === 'CH')?.name, 'Switzerland')
})

test('a stored code the list does not know stays selectable, and is shown as written', () => {
  assert.ok(countryOptions('en', 'dd').some((o) => o.code === 'DD'))
  assert.equal(countryName('zh-CN', 'cn'), '中国')
  assert.equal(countryName('en', 'Deutschland'), 'Deutschland')
})
