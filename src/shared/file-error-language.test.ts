import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { test } from 'node:test'
import { isAppError } from './errors.ts'
import { cannotReadFile, fileErrorIn } from './validate.ts'

const refusalOf = (file: string) => {
  try {
    fs.readFileSync(file)
  } catch (error) {
    return cannotReadFile(file, error, '--batch')
  }
  assert.fail(`${file} was read`)
}

test('a file the system refuses is refused in Chinese words for the system’s reason, the English as the system says it', () => {
  const missing = refusalOf('/no/such/cases.jsonl')
  assert.ok(isAppError(missing))
  assert.equal(
    missing.messageIn('en'),
    '--batch: cannot read /no/such/cases.jsonl: ENOENT: no such file or directory',
  )
  assert.equal(missing.messageIn('zh'), '--batch：无法读取 /no/such/cases.jsonl（文件或目录不存在）')
  const folder = refusalOf(path.resolve(import.meta.dirname))
  assert.match(folder.messageIn('zh'), /（这是一个目录）$/)
  // A reason the catalogue has no words for is named by its code, never in the system's English.
  assert.equal(fileErrorIn('zh', 'EIO'), 'EIO')
  assert.equal(fileErrorIn('zh', undefined), '系统拒绝了此操作')
})

test('the command line names a missing file in Chinese under a Chinese locale', () => {
  const run = spawnSync(process.execPath, ['bin/aftercare.js', 'decide', '/no/such/case.json'], {
    env: { ...process.env, AFTERCARE_LANGUAGE: 'zh' },
    encoding: 'utf8',
  })
  assert.equal(run.status, 2)
  assert.equal(run.stderr, 'aftercare：file：无法读取 /no/such/case.json（文件或目录不存在）\n')
})
