import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DEMO_MODELS } from '../../../src/registry/demo-catalogue.ts'
import { en } from '../i18n/en.ts'
import { zh } from '../i18n/zh.ts'
import { categoryLabel, specLabel } from './catalogue-labels.ts'

/** i18next's look-up over one dictionary, answering the default when the key is missing. */
const lookUp =
  (dictionary: object) =>
  (key: string, options: { defaultValue: string }): string => {
    const found = key
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], dictionary)
    return typeof found === 'string' ? found : options.defaultValue
  }

const categories = [...new Set(DEMO_MODELS.map((model) => model.category))]
const specs = [...new Set(DEMO_MODELS.flatMap((model) => Object.keys(model.specifications)))]

test('every category and specification of the catalogue has a label of its own in English and Chinese', () => {
  for (const [language, dictionary] of [
    ['en', en],
    ['zh', zh],
  ] as const) {
    const unlabelled: string[] = []
    const look = lookUp(dictionary)
    const t = (key: string, options: { defaultValue: string }) => {
      const label = look(key, { defaultValue: '' })
      if (label === '') unlabelled.push(key)
      return label || options.defaultValue
    }
    const labels = [
      ...categories.map((category) => categoryLabel(t, category)),
      ...specs.map((spec) => specLabel(t, spec)),
    ]
    assert.deepEqual(unlabelled, [], `${language}: labelled`)
    if (language === 'zh')
      for (const label of labels) assert.match(label, /^[\u4e00-\u9fff]+$/, `${label} is Chinese`)
  }
})

test('a category or specification an import brings without a label reads as words, not as a key', () => {
  const t = lookUp(en)
  assert.equal(specLabel(t, 'backFocusTolerance'), 'Back focus tolerance')
  assert.equal(categoryLabel(t, 'dew-heater'), 'Dew heater')
  assert.equal(specLabel(t, 'sensor_size'), 'Sensor size')
})
