import assert from 'node:assert/strict'
import { validateHeaderValue } from 'node:http'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { translate } from '../../shared/messages/translate.ts'
import { contentDispositionFor, judgeFileType, sanitizeFileName } from './upload-rules.ts'

describe('sanitizeFileName', () => {
  const cases: [string, string | undefined, string][] = [
    ['strips folders (path traversal)', '../../etc/passwd', 'passwd'],
    ['strips Windows folders', 'C:\\Users\\a\\..\\photo.jpg', 'photo.jpg'],
    ['removes control characters', 'pho\u0000to\r\n.jpg', 'photo.jpg'],
    ['removes bidi overrides', 'invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['removes the Arabic letter mark, a bidi control too', 'photo\u061c.jpg', 'photo.jpg'],
    ['names a name of only a bidi mark', '\u061c', 'file'],
    ['removes leading dots', '...hidden.png', 'hidden.png'],
    ['keeps Chinese names', '发票 照片.jpg', '发票 照片.jpg'],
    ['names an empty name', '', 'file'],
    ['names a missing name', undefined, 'file'],
    ['names a name of only dots', '..', 'file'],
    ['keeps a Windows device name from being one', 'CON.jpg', '_CON.jpg'],
    ['keeps a device name without extension from being one', 'lpt1', '_lpt1'],
    ['keeps a device name before spaces and extensions from being one', 'Aux .tar.gz', '_Aux .tar.gz'],
    ['leaves a name that only begins like a device', 'console.png', 'console.png'],
  ]
  for (const [name, raw, expected] of cases) {
    it(name, () => assert.equal(sanitizeFileName(raw), expected))
  }
  it('limits the length and keeps the extension', () => {
    const out = sanitizeFileName(`${'a'.repeat(300)}.jpeg`)
    assert.equal(out.length, 120)
    assert.ok(out.endsWith('.jpeg'))
  })

  it('removes dots and spaces before a name in any order, and half of a surrogate pair', () => {
    assert.equal(sanitizeFileName('. .profile'), 'profile')
    assert.equal(sanitizeFileName(' \u3000.env'), 'env')
    assert.equal(sanitizeFileName('photo\ud800.jpg'), 'photo.jpg')
    assert.equal(sanitizeFileName('照片😀.jpg'), '照片😀.jpg')
  })

  // The parts that make a name awkward, mixed with anything at all.
  const namePart = fc.oneof(
    fc.constantFrom('.', ' ', '/', '\\', '\u202e', '\u0000', '\n', '\u00a0', '\u3000', '\u2028', '\ufeff'),
    fc.constantFrom('a', '发', '"', "'", '%', '😀', 'e\u0301', '\ud800', '\udc00', '.jpg'),
    fc.constantFrom('CON', 'nul', 'Com1', 'LPT9', 'aux', 'PRN'),
    fc.string({ unit: 'binary', maxLength: 3 }),
  )
  const rawName = fc.array(namePart, { maxLength: 200 }).map((parts) => parts.join(''))

  it('gives a short, visible, well-formed name with no folder, hidden by no dot, the same when given again (generated)', () => {
    fc.assert(
      fc.property(rawName, (raw) => {
        const name = sanitizeFileName(raw)
        assert.ok(name.length > 0)
        assert.ok(Array.from(name).length <= 120)
        // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
        assert.doesNotMatch(name, /[/\\\u0000-\u001f\u202a-\u202e]/)
        assert.ok(!name.startsWith('.'), name)
        assert.doesNotMatch(name, /^(con|prn|aux|nul|com\d|lpt\d)\s*(\.|$)/i, 'no Windows device')
        assert.equal(name, name.trim())
        // Well-formed: UTF-8 carries it unchanged.
        assert.equal(Buffer.from(name).toString(), name)
        assert.equal(sanitizeFileName(name), name)
        // Every name it gives makes a header Node will send.
        validateHeaderValue('content-disposition', contentDispositionFor(name))
      }),
      { numRuns: 2000 },
    )
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

describe('the name a download carries', () => {
  // What a browser or a Windows folder makes of a saved name: trailing dots and spaces go.
  const savedAs = (name: string) => name.replace(/[. ]+$/, '')
  const extensionOf = (name: string) => /\.([^.]+)$/.exec(savedAs(name))?.[1]?.toLowerCase()

  it('hides no other extension behind a trailing dot, a control or a direction character', () => {
    for (const raw of [
      'page.html.',
      'page.html. . ',
      'page.html\u0000',
      'page.html\u200f',
      'page.html\u0085',
    ]) {
      const verdict = judgeFileType({ detected: 'image/png', declaredType: 'image/png', fileName: raw })
      assert.equal(verdict.ok, false, `${JSON.stringify(raw)} is stored as ${sanitizeFileName(raw)}`)
    }
    // Cut to 120 characters, a long name ends where it was cut: here in `.html`.
    const long = `${'a'.repeat(115)}.html${'x'.repeat(20)}`
    assert.ok(sanitizeFileName(long).endsWith('.html'))
    assert.equal(
      judgeFileType({ detected: 'image/png', declaredType: 'image/png', fileName: long }).ok,
      false,
    )
  })

  it('is refused unless its extension, as saved, describes the content (generated)', () => {
    const part = fc.oneof(
      fc.constantFrom('.', ' ', '\u0000', '\u0085', '\u200f', '\u202e', '\u2066', '\ud800', '/', '\\'),
      fc.constantFrom('page', '.html', '.png', '.svg', '.htm', '.exe', 'PNG', '.Html'),
      fc.constantFrom('a'.repeat(60), 'x'.repeat(11)),
    )
    fc.assert(
      fc.property(fc.array(part, { maxLength: 10 }), (parts) => {
        const raw = parts.join('')
        const verdict = judgeFileType({ detected: 'image/png', declaredType: 'image/png', fileName: raw })
        if (!verdict.ok) return
        const extension = extensionOf(sanitizeFileName(raw))
        assert.ok(
          extension === undefined || extension === 'png' || !/^[a-z0-9]{1,10}$/.test(extension),
          `${JSON.stringify(raw)} accepted and saved as ${JSON.stringify(sanitizeFileName(raw))}`,
        )
      }),
      { numRuns: 3000 },
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
