import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SELF_CHECK_LISTS, SELF_CHECK_ZH, selfCheckListWithTranslations } from './self-checks.ts'

test('every self-check list and every check has its Chinese, with a fix where the source gives one', () => {
  for (const list of SELF_CHECK_LISTS) {
    const zh = SELF_CHECK_ZH[list.id]
    assert.ok(zh, `${list.id} has a Chinese title and checks`)
    assert.match(zh.title, /[\u4e00-\u9fff]/)
    assert.deepEqual(Object.keys(zh.checks).sort(), list.checks.map((c) => c.id).sort(), list.id)
    for (const check of list.checks) {
      const chinese: { instruction: string; remedy?: string } | undefined = zh.checks[check.id]
      assert.match(chinese?.instruction ?? '', /[\u4e00-\u9fff]/, `${list.id}/${check.id}`)
      assert.equal(chinese?.remedy !== undefined, check.remedy !== undefined, `${list.id}/${check.id} remedy`)
    }
    const view = selfCheckListWithTranslations(list)
    assert.deepEqual(
      view.translations?.zh.checks.map((c) => c.id),
      list.checks.map((c) => c.id),
      'the translated checks keep the ids and order',
    )
  }
})
