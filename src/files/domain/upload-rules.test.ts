import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { translate } from '../../shared/messages/translate.ts'
import { contentDispositionFor, judgeFileType, sanitizeFileName } from './upload-rules.ts'

describe('sanitizeFileName', () => {
  const cases: [string, string | undefined, string][] = [
    ['strips folders (path traversal)', '../../etc/passwd', 'passwd'],
    ['strips Windows folders', 'C:\\Users\\a\\..\\photo.jpg', 'photo.jpg'],
    ['removes control characters', 'pho\u0000to\r\n.jpg', 'photo.jpg'],
    ['removes bidi overrides', 'invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['removes leading dots', '...hidden.png', 'hidden.png'],
    ['keeps Chinese names', '发票 照片.jpg', '发票 照片.jpg'],
    ['names an empty name', '', 'file'],
    ['names a missing name', undefined, 'file'],
    ['names a name of only dots', '..', 'file'],
  ]
  for (const [name, raw, expected] of cases) {
    it(name, () => assert.equal(sanitizeFileName(raw), expected))
  }
  it('limits the length and keeps the extension', () => {
    const out = sanitizeFileName(`${'a'.repeat(300)}.jpeg`)
    assert.equal(out.length, 120)
    assert.ok(out.endsWith('.jpeg'))
  })
})

describe('judgeFileType', () => {
  it('accepts content that matches its name and declared type', () => {
    assert.deepEqual(
      judgeFileType({ detected: 'image/jpeg', declaredType: 'image/jpeg', fileName: 'a.JPG' }),
      {
        ok: true,
        contentType: 'image/jpeg',
        category: 'image',
      },
    )
    assert.equal(
      judgeFileType({
        detected: 'video/quicktime',
        declaredType: 'application/octet-stream',
        fileName: 'clip',
      }).ok,
      true,
    )
  })
  it('refuses undetected or unlisted content', () => {
    assert.equal(
      judgeFileType({ detected: undefined, declaredType: 'image/jpeg', fileName: 'photo.jpg' }).ok,
      false,
    )
    assert.equal(
      judgeFileType({ detected: 'image/gif', declaredType: 'image/gif', fileName: 'a.gif' }).ok,
      false,
    )
  })
  it('refuses a declared type or extension that disagrees with the content', () => {
    assert.equal(
      judgeFileType({ detected: 'application/pdf', declaredType: 'image/jpeg', fileName: 'a.pdf' }).ok,
      false,
    )
    assert.equal(
      judgeFileType({ detected: 'image/png', declaredType: 'image/png', fileName: 'a.jpg' }).ok,
      false,
    )
  })
})

describe('contentDispositionFor', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    assert.equal(
      contentDispositionFor('发票 "1".pdf'),
      `attachment; filename="__ _1_.pdf"; filename*=UTF-8''%E5%8F%91%E7%A5%A8%20%221%22.pdf`,
    )
  })
})

describe('a refused type, as a person reads it', () => {
  const refusal = (input: Parameters<typeof judgeFileType>[0]) => {
    const verdict = judgeFileType(input)
    assert.equal(verdict.ok, false)
    return verdict.ok ? undefined : verdict.refusal
  }

  it('names the types in words, in English and in Chinese, never as media types', () => {
    const misdeclared = refusal({ detected: 'image/jpeg', declaredType: 'application/pdf', fileName: 'scan' })
    const renamed = refusal({ detected: 'application/pdf', declaredType: undefined, fileName: 'receipt.jpg' })
    const notAllowed = refusal({ detected: 'application/zip', declaredType: undefined, fileName: 'logs' })
    for (const message of [misdeclared, renamed, notAllowed]) {
      assert.ok(message)
      for (const language of ['en', 'zh'] as const) {
        const text = translate(language, message.key, { ...message.params, field: 'photo' })
        assert.doesNotMatch(text, /application\/|image\//, text)
      }
    }
    assert.equal(
      translate('en', misdeclared!.key, { ...misdeclared!.params, field: 'photo' }),
      'photo: the file was sent as a PDF document, but it is a JPEG image',
    )
    assert.equal(
      translate('zh', misdeclared!.key, { ...misdeclared!.params, field: 'photo' }),
      'photo：文件标明是PDF 文档，但实际内容是JPEG 图片',
    )
    assert.match(translate('zh', renamed!.key, { ...renamed!.params, field: 'doc' }), /实际内容是PDF 文档/)
    assert.match(translate('zh', notAllowed!.key, { ...notAllowed!.params, field: 'f' }), /文件是ZIP 压缩包/)
  })

  it('keeps a type it has no words for as it was sent', () => {
    const odd = refusal({ detected: 'image/jpeg', declaredType: 'application/x-odd', fileName: 'a' })
    assert.match(
      translate('en', odd!.key, { ...odd!.params, field: 'f' }),
      /sent as application\/x-odd, but it is a JPEG image/,
    )
  })
})
