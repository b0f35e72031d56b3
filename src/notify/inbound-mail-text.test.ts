import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { stripQuotedReply } from './inbound-mail-text.ts'

test('keeps the reply above the quoted history of common mail programs', () => {
  const cases: [string, string][] = [
    [
      'Photo attached.\n\nOn Tue, 1 Dec 2026 at 10:00, Aftercare <service@x.test> wrote:\n> We need more',
      'Photo attached.',
    ],
    ['Here it is\r\n\r\n-----Original Message-----\r\nFrom: Aftercare\r\n', 'Here it is'],
    ['Serial is on the back.\nFrom: Aftercare <service@x.test>\nSent: Tuesday', 'Serial is on the back.'],
    ['照片见附件。\n\n在 2026年12月1日 10:00，Aftercare <service@x.test> 写道：\n> 请提供', '照片见附件。'],
    ['好的\n-----原始邮件-----\n发件人: Aftercare', '好的'],
    ['Line one\nline two\n-- \nJane Doe\nStargazers Ltd', 'Line one\nline two'],
    ['Yes\nOn Tue, 1 Dec 2026 at 10:00, Aftercare\n<service@x.test> wrote:\n> q', 'Yes'],
    ['No quote at all', 'No quote at all'],
  ]
  for (const [input, expected] of cases) assert.equal(stripQuotedReply(input), expected, input)
})

test('the reply is always a leading part of the mail and never carries a quoted line', () => {
  const line = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom('> quoted', 'On Mon, A wrote:', '-- ', 'From: someone', '在 昨天 写道：', ''),
  )
  fc.assert(
    fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
      const text = lines.join('\n')
      const reply = stripQuotedReply(text)
      assert.ok(text.replace(/\r\n?/g, '\n').includes(reply))
      for (const kept of reply.split('\n')) assert.ok(!kept.trim().startsWith('>'))
      assert.equal(stripQuotedReply(reply), reply)
    }),
  )
})
