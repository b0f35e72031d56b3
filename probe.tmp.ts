import { createTestContext } from './src/app/test-context.ts'
import { openTestDatabase } from './src/db/test-database.ts'
import { buildApp } from './src/http/app.ts'
import { createTestUser } from './src/auth/test-support.ts'
const database = await openTestDatabase('sqlite')
const app = await buildApp(createTestContext(database), { webDir: null })
const staff = await createTestUser(database.db, { role: 'admin' })
const show = async (o: any) => { const r = await app.inject(o); console.log(o.method ?? 'GET', String(o.url).slice(0,60), r.statusCode, r.body.slice(0, 160), r.headers['cache-control']) }
await show({ url: '/api/v1/claims/%ZZ', headers: staff.headers })
await show({ url: '/api/v1/claims/' + 'a'.repeat(200), headers: staff.headers })
await show({ url: '/api/v1/claims/%00', headers: staff.headers })
await show({ url: '/api/v1/claims?brand=%00', headers: staff.headers })
await show({ url: '/api/v1/units/%00/warranty' })
const claimId = 'x'
await show({ method: 'POST', url: '/api/v1/claims/x/files', headers: { ...staff.headers, 'content-type': 'multipart/form-data' }, payload: 'garbage' })
await show({ method: 'POST', url: '/api/v1/claims/x/files', headers: { ...staff.headers, 'content-type': 'multipart/form-data; boundary=abc' }, payload: '--abc\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n--abc\r\nContent-Disposition: form-data; name="f"; filename="a.jpg"\r\n\r\nxx' })
await show({ method: 'POST', url: '/api/v1/imports/units', headers: { ...staff.headers, 'content-type': 'multipart/form-data' }, payload: 'garbage' })
await show({ method: 'POST', url: '/api/v1/imports/units', headers: { ...staff.headers, 'content-type': 'multipart/form-data; boundary=abc' }, payload: '--abc\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nserial,mo' })
await show({ method: 'POST', url: '/api/v1/claims', headers: { ...staff.headers, 'content-type': 'application/json' }, payload: '{"serial":"a\\u0000b"}' })
await show({ method: 'POST', url: '/api/v1/claims', headers: { ...staff.headers, 'content-type': 'application/json' }, payload: '{bad' })
await show({ method: 'POST', url: '/api/v1/claims', headers: { ...staff.headers, 'content-type': 'text/xml' }, payload: '<a/>' })
console.log(app.printRoutes({commonPrefix:false}).split('\n').length)
await app.close(); await database.dispose()
