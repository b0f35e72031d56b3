import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, test } from 'node:test'
import ts from 'typescript'

const root = path.resolve(import.meta.dirname, '../..')

/**
 * Messages that are catalogue messages without being written as `{ key, params }` on the spot:
 * a lifecycle's refusal, or a helper that builds one. File and expression, exactly as written.
 */
const MESSAGE_VALUES = new Set([
  'src/claims/claim-transition.ts: check.refusal',
  'src/recoveries/take-recovery-step.ts: check.refusal',
  "src/files/file.routes.ts: sendMultipart('body')",
  "src/files/upload-files.ts: sendMultipart('body')",
  // The same refusal named under its input: the message is the refused error's own, made
  // again from its key when it had one (and then passed with its `text`).
  'src/shared/input-fields.ts: first.message',
])

interface Site {
  where: string
  code: string
  message: string
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : []
  })
}

const hasProperty = (node: ts.Expression | undefined, name: string): boolean =>
  node !== undefined &&
  ts.isObjectLiteralExpression(node) &&
  node.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === name)

/** A catalogue message written out, or a choice between two of them. */
const isKeyed = (node: ts.Expression | undefined): boolean => {
  if (node !== undefined && ts.isParenthesizedExpression(node)) return isKeyed(node.expression)
  if (node !== undefined && ts.isConditionalExpression(node))
    return isKeyed(node.whenTrue) && isKeyed(node.whenFalse)
  return hasProperty(node, 'key')
}

/**
 * Every `new AppError(code, message, options)` in src whose message cannot be said in Chinese:
 * not a catalogue message, not one of the known message values, and no `text` key beside an
 * English message taken from a library. Internal errors stay generic for their readers.
 */
function plainMessageSites(base = root): Site[] {
  const sites: Site[] = []
  for (const file of sourceFiles(path.join(base, 'src'))) {
    const text = fs.readFileSync(file, 'utf8')
    if (!text.includes('new AppError(')) continue
    const relative = path.relative(base, file).split(path.sep).join('/')
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
    const visit = (node: ts.Node) => {
      if (ts.isNewExpression(node) && node.expression.getText(source) === 'AppError') {
        const [code, message, options] = node.arguments ?? []
        const codeText = code?.getText(source) ?? ''
        const messageText = message?.getText(source) ?? ''
        const keyed =
          isKeyed(message) ||
          MESSAGE_VALUES.has(`${relative}: ${messageText}`) ||
          hasProperty(options, 'text')
        if (!keyed && codeText !== "'internal'") {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart(source))
          sites.push({ where: `${relative}:${line + 1}`, code: codeText, message: messageText })
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return sites
}

describe('errors come from the message catalogue', () => {
  test('no AppError in src carries a plain message a Chinese reader would not get', () => {
    const plain = plainMessageSites()
    assert.deepEqual(
      plain.map((s) => `${s.where} ${s.code} ${s.message}`),
      [],
      'give these a key of src/shared/messages/en.ts (with its Chinese in zh.ts)',
    )
  })

  test('the scan finds a plain message, a template and a message variable, and lets keys pass', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'aftercare-error-keys-'))
    fs.mkdirSync(path.join(base, 'src'))
    fs.writeFileSync(
      path.join(base, 'src', 'probe.ts'),
      [
        "new AppError('not-found', 'No such thing')",
        `new AppError('validation', \`id: $\{id} is wrong\`, { field: 'id' })`,
        "new AppError('conflict', message)",
        "new AppError('not-found', { key: 'claim.not-found', params: { id } })",
        "new AppError('validation', error.message, { text: { key: 'error.validation' } })",
        "new AppError('internal', 'a bug')",
        "new AppError('conflict', open ? { key: 'claim.not-found' } : 'No claim')",
        "new AppError('conflict', open ? { key: 'claim.not-found' } : { key: 'file.not-found' })",
      ].join('\n'),
    )
    try {
      assert.deepEqual(
        plainMessageSites(base).map((s) => s.message),
        [
          "'No such thing'",
          `\`id: $\{id} is wrong\``,
          'message',
          "open ? { key: 'claim.not-found' } : 'No claim'",
        ],
      )
    } finally {
      fs.rmSync(base, { recursive: true, force: true })
    }
  })
})
