import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import fc from 'fast-check'
import { createUser } from '../../src/auth/create-user.ts'
import { listActiveOrgUsers, resolveCommandLineActor } from '../../src/auth/index.ts'
import { createTestUser } from '../../src/auth/test-support.ts'
import { testEngines } from '../../src/db/test-database.ts'
import { organisationsWithUsers } from '../../src/recoveries/recovery.store.ts'
import { waitForJob } from '../../src/registry/import-job.test-support.ts'
import { findUnitBySerial } from '../../src/registry/unit.store.ts'
import type { AppError } from '../../src/shared/errors.ts'
import { multipartBody } from '../../src/shared/multipart-body.test-support.ts'
import {
  act,
  addDays,
  type ClaimsWorld,
  newSerial,
  ORG,
  openClaimAs,
  openClaimBody,
  openClaimsWorld,
  seedPlayerOneDealerUnit,
  TODAY,
} from '../claims/claim-factories.ts'

const PASSWORD = 'a long dealer pass phrase'
type Headers = Record<string, string>
interface OrganisationJson {
  id: string
  active: boolean
  deactivatedAt?: string | null
  deactivatedByUserId?: string | null
}

/** A dealer of Starlight Optics who signs in with a password: the headers of a fresh session. */
async function signIn(
  world: ClaimsWorld,
  email: string,
): Promise<{ status: number; headers: Headers; body: string }> {
  const response = await world.app.inject({
    method: 'POST',
    url: '/api/v1/auth/sign-in',
    payload: { email, password: PASSWORD },
  })
  const cookies = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  return { status: response.statusCode, headers: { cookie: cookies }, body: response.body }
}

const setActive = (
  world: ClaimsWorld,
  headers: Headers,
  orgId: string,
  action: 'deactivate' | 'reactivate',
) => world.app.inject({ method: 'POST', url: `/api/v1/organisations/${orgId}/${action}`, headers })

/** The refusal of an inactive organisation's user: 403 naming `orgId`, in the reader's language. */
function assertInactiveRefusal(response: { statusCode: number; body: string }, language: 'en' | 'zh' = 'en') {
  assert.equal(response.statusCode, 403, response.body)
  const error = (JSON.parse(response.body) as { error: { field: string; message: string } }).error
  assert.equal(error.field, 'orgId')
  assert.match(error.message, language === 'en' ? /Starlight Optics is inactive/ : /Starlight Optics 已停用/)
}

for (const engine of testEngines()) {
  describe(`${engine}: an organisation deactivated and reactivated`, () => {
    let world: ClaimsWorld
    let manager: { userId: string; headers: Headers }
    let admin: { userId: string; headers: Headers }
    const dealerEmail = `dealer-${engine}@starlight.test`
    before(async () => {
      world = await openClaimsWorld(engine)
      manager = await createTestUser(world.database.db, { role: 'manager' })
      admin = await createTestUser(world.database.db, { role: 'admin' })
      await createUser(
        world.database.db,
        {
          email: dealerEmail,
          name: 'Starlight desk',
          role: 'dealer',
          orgId: ORG.starlight,
          password: PASSWORD,
        },
        world.clock.now,
      )
    })
    after(() => world.close())

    test('its users are refused at their next request and at sign-in, its claims stay with staff, and reactivating restores access', async () => {
      const serial = await seedPlayerOneDealerUnit(world)
      const claim = await openClaimAs(world, world.customer, openClaimBody(serial))
      const session = await signIn(world, dealerEmail)
      assert.equal(session.status, 200, session.body)
      const me = await world.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers })
      assert.equal(me.statusCode, 200, me.body)

      const deactivated = await setActive(world, manager.headers, ORG.starlight, 'deactivate')
      assert.equal(deactivated.statusCode, 200, deactivated.body)
      const org = deactivated.json() as OrganisationJson
      assert.equal(org.active, false)
      assert.equal(org.deactivatedByUserId, manager.userId)
      assert.equal(org.deactivatedAt, world.clock.now.toISOString())
      // Asked again, by someone else later: nothing changes, the first deactivation stands.
      world.clock.now = new Date(world.clock.now.getTime() + 60_000)
      const again = await setActive(world, admin.headers, ORG.starlight, 'deactivate')
      assert.equal(again.statusCode, 200, again.body)
      assert.deepEqual(again.json(), org)

      // The session, the API key and a new sign-in are all refused, naming the organisation.
      assertInactiveRefusal(
        await world.app.inject({ method: 'GET', url: '/api/v1/claims', headers: session.headers }),
      )
      assertInactiveRefusal(
        await world.app.inject({
          method: 'GET',
          url: `/api/v1/claims/${claim.id}`,
          headers: { ...session.headers, 'accept-language': 'zh-CN' },
        }),
        'zh',
      )
      assertInactiveRefusal(
        await world.app.inject({ method: 'GET', url: '/api/v1/claims', headers: world.dealer.headers }),
      )
      const refusedSignIn = await signIn(world, dealerEmail)
      assertInactiveRefusal({ statusCode: refusedSignIn.status, body: refusedSignIn.body })
      // A wrong password still hears only that it is wrong: the organisation is named only to its own user.
      const wrong = await world.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: dealerEmail, password: 'not the password' },
      })
      assert.equal(wrong.statusCode, 401)
      // Signing out with the refused session still works.
      const out = await world.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-out',
        headers: session.headers,
      })
      assert.equal(out.statusCode, 204, out.body)

      // What is on file keeps naming it: staff read the claim and the unit as before.
      const read = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}`,
        headers: world.staff.headers,
      })
      assert.equal(read.statusCode, 200, read.body)
      assert.equal((read.json() as { dealerOrgId: string | null }).dealerOrgId, ORG.starlight)
      assert.equal((await findUnitBySerial(world.database.db, serial))?.dealerOrgId, ORG.starlight)
      // And finish it: the next step of the claim is still staff's to take.
      const read2 = read.json() as { allowedActions: string[] }
      assert.ok(read2.allowedActions.includes('authorize-return'), read2.allowedActions.join(', '))
      const stepped = await act(world, world.staff, claim.id, 'authorize-return', { note: 'Pack it well.' })
      assert.notEqual(stepped.rma, null)
      // An operator acting as its user at the console is refused as well.
      await assert.rejects(resolveCommandLineActor(world.database.db, dealerEmail), (error: AppError) => {
        assert.equal(error.code, 'forbidden')
        assert.equal(error.field, 'orgId')
        return true
      })

      // Staff lists show the status and who deactivated it; the public list only the status.
      const staffList = await world.app.inject({
        method: 'GET',
        url: '/api/v1/organisations',
        headers: world.staff.headers,
      })
      const listed = (staffList.json() as { items: OrganisationJson[] }).items.find(
        (o) => o.id === ORG.starlight,
      )
      assert.equal(listed?.active, false)
      assert.equal(listed?.deactivatedByUserId, manager.userId)
      const publicList = await world.app.inject({ method: 'GET', url: '/api/v1/organisations' })
      const seen = (publicList.json() as { items: OrganisationJson[] }).items.find(
        (o) => o.id === ORG.starlight,
      )
      assert.equal(seen?.active, false)
      assert.equal(seen?.deactivatedByUserId, undefined)

      const reactivated = await setActive(world, admin.headers, ORG.starlight, 'reactivate')
      assert.equal(reactivated.statusCode, 200, reactivated.body)
      assert.deepEqual(
        { ...(reactivated.json() as OrganisationJson) },
        { ...org, active: true, deactivatedAt: null, deactivatedByUserId: null },
      )
      const back = await signIn(world, dealerEmail)
      assert.equal(back.status, 200, back.body)
      const theirClaim = await world.app.inject({
        method: 'GET',
        url: `/api/v1/claims/${claim.id}`,
        headers: world.dealer.headers,
      })
      assert.equal(theirClaim.statusCode, 200, theirClaim.body)
    })

    test('a session kept through deactivation works again once reactivated; meanwhile nobody answers or hears for it', async () => {
      const session = await signIn(world, dealerEmail)
      assert.equal(session.status, 200, session.body)
      const db = world.database.db
      assert.ok((await listActiveOrgUsers(db, ORG.starlight, 'dealer')).length > 0)
      assert.deepEqual([...(await organisationsWithUsers(db, [ORG.starlight]))], [ORG.starlight])
      await setActive(world, manager.headers, ORG.starlight, 'deactivate')
      assertInactiveRefusal(
        await world.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers }),
      )
      // Its users are mailed nothing they could follow, and staff answer its recoveries for it.
      assert.deepEqual(await listActiveOrgUsers(db, ORG.starlight, 'dealer'), [])
      assert.deepEqual([...(await organisationsWithUsers(db, [ORG.starlight]))], [])
      await setActive(world, manager.headers, ORG.starlight, 'reactivate')
      const me = await world.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers })
      assert.equal(me.statusCode, 200, me.body)
    })

    test('a new sale naming it is refused naming dealerOrgId; so is a claim registering its unit as sold by it', async () => {
      await setActive(world, manager.headers, ORG.starlight, 'deactivate')
      try {
        const serial = newSerial('ZEU')
        const sale = await world.app.inject({
          method: 'POST',
          url: '/api/v1/units',
          headers: manager.headers,
          payload: {
            serial,
            model: 'player-one-zeus-455m-pro',
            purchasedOn: addDays(TODAY, -10),
            channel: 'dealer',
            dealerOrgId: ORG.starlight,
            shippedBy: 'dealer',
          },
        })
        assert.equal(sale.statusCode, 400, sale.body)
        const error = (sale.json() as { error: { field: string; message: string } }).error
        assert.equal(error.field, 'body.dealerOrgId')
        assert.match(error.message, /inactive/)
        assert.equal(await findUnitBySerial(world.database.db, serial), undefined)
        // Nor is it offered to a customer registering a model it sold.
        const offered = async () =>
          (
            (
              await world.app.inject({
                method: 'GET',
                url: '/api/v1/organisations?sellsModel=player-one-zeus-455m-pro',
              })
            ).json() as { items: OrganisationJson[] }
          ).items.map((o) => o.id)
        assert.ok(!(await offered()).includes(ORG.starlight))
        await setActive(world, manager.headers, ORG.starlight, 'reactivate')
        assert.ok((await offered()).includes(ORG.starlight))
        await setActive(world, manager.headers, ORG.starlight, 'deactivate')

        const claimed = await world.app.inject({
          method: 'POST',
          url: '/api/v1/claims',
          headers: world.staff.headers,
          payload: openClaimBody(newSerial('ZEU'), {
            customerId: 'cus-alice',
            unit: {
              model: 'player-one-zeus-455m-pro',
              channel: 'dealer',
              dealerOrgId: ORG.starlight,
              purchasedOn: addDays(TODAY, -10),
              proofOfPurchase: true,
            },
          } as never),
        })
        assert.equal(claimed.statusCode, 400, claimed.body)
        assert.equal((claimed.json() as { error: { field: string } }).error.field, 'body.unit.dealerOrgId')
      } finally {
        await setActive(world, manager.headers, ORG.starlight, 'reactivate')
      }
    })

    test('a unit file naming it has that row refused, naming its line and the dealer column, and writes nothing of it', async () => {
      await setActive(world, manager.headers, ORG.starlight, 'deactivate')
      try {
        const serials = [newSerial('IMP'), newSerial('IMP')]
        const csv = [
          'serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer',
          ...serials.map((s) => `${s},ares-mpro,2025-01-02,2025-01-03,2025-01-10,dealer,Starlight Optics`),
        ].join('\n')
        const body = multipartBody([
          { name: 'file', filename: 'units.csv', type: 'text/csv', data: `${csv}\n` },
        ])
        const started = await world.app.inject({
          method: 'POST',
          url: '/api/v1/imports/units',
          payload: body.payload,
          headers: { 'content-type': body.contentType, ...manager.headers },
        })
        assert.equal(started.statusCode, 202, started.body)
        const job = await waitForJob(world.app, manager.headers, (started.json() as { id: string }).id)
        assert.equal(job.imported, 0)
        assert.equal(job.rejected, 2)
        assert.deepEqual(
          job.errors.map((e) => [e.line, e.field]),
          [
            [2, 'dealer'],
            [3, 'dealer'],
          ],
        )
        assert.match(job.errors[0]?.message ?? '', /inactive/)
        for (const serial of serials)
          assert.equal(await findUnitBySerial(world.database.db, serial), undefined)
      } finally {
        await setActive(world, manager.headers, ORG.starlight, 'reactivate')
      }
    })

    test("the seller's whole-registry file may restate the units already sold through it; a row that would newly give it a unit is refused", async () => {
      const importFile = async (lines: string[]) => {
        const csv = ['serial,model,purchasedOn,shippedOn,deliveredOn,channel,dealer', ...lines].join('\n')
        const body = multipartBody([
          { name: 'file', filename: 'units.csv', type: 'text/csv', data: `${csv}\n` },
        ])
        const started = await world.app.inject({
          method: 'POST',
          url: '/api/v1/imports/units',
          payload: body.payload,
          headers: { 'content-type': body.contentType, ...manager.headers },
        })
        assert.equal(started.statusCode, 202, started.body)
        return waitForJob(world.app, manager.headers, (started.json() as { id: string }).id)
      }
      const throughStarlight = (serial: string) =>
        `${serial},ares-mpro,2025-01-02,2025-01-03,2025-01-10,dealer,Starlight Optics`
      const sold = [newSerial('KEEP'), newSerial('KEEP')]
      const direct = newSerial('DIRECT')
      const first = await importFile([
        ...sold.map(throughStarlight),
        `${direct},ares-mpro,2025-01-02,2025-01-03,2025-01-10,direct,`,
      ])
      assert.equal(first.imported, 3, JSON.stringify(first.errors))

      await setActive(world, manager.headers, ORG.starlight, 'deactivate')
      try {
        const fresh = newSerial('NEW')
        const again = await importFile([
          ...sold.map(throughStarlight),
          throughStarlight(direct),
          throughStarlight(fresh),
        ])
        assert.deepEqual(
          again.errors.map((e) => [e.line, e.field]),
          [
            [4, 'dealer'],
            [5, 'dealer'],
          ],
          'the unit sold direct and the new one would be given to the inactive dealer',
        )
        for (const serial of sold)
          assert.equal((await findUnitBySerial(world.database.db, serial))?.dealerOrgId, ORG.starlight)
        assert.equal((await findUnitBySerial(world.database.db, direct))?.dealerOrgId, null)
        assert.equal(await findUnitBySerial(world.database.db, fresh), undefined)
      } finally {
        await setActive(world, manager.headers, ORG.starlight, 'reactivate')
      }
    })

    test('no user or API key is added to it while it is inactive (409 naming orgId); once reactivated, they are', async () => {
      const addUser = (email: string) =>
        world.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: admin.headers,
          payload: {
            email,
            name: 'Starlight counter',
            role: 'dealer',
            orgId: ORG.starlight,
            password: PASSWORD,
          },
        })
      const addKey = () =>
        world.app.inject({
          method: 'POST',
          url: '/api/v1/api-keys',
          headers: manager.headers,
          payload: { name: 'Starlight till', orgId: ORG.starlight },
        })
      const email = `counter-${engine}@starlight.test`
      await setActive(world, manager.headers, ORG.starlight, 'deactivate')
      try {
        for (const refused of [await addUser(email), await addKey()]) {
          assert.equal(refused.statusCode, 409, refused.body)
          const error = (refused.json() as { error: { field: string; message: string } }).error
          assert.equal(error.field, 'body.orgId')
          assert.match(error.message, /inactive/)
        }
        const users = await world.database.db
          .selectFrom('users')
          .select('id')
          .where('org_id', '=', ORG.starlight)
          .where('email', '=', email)
          .execute()
        assert.deepEqual(users, [], 'nothing of the refused user is written')
      } finally {
        await setActive(world, manager.headers, ORG.starlight, 'reactivate')
      }
      assert.equal((await addUser(email)).statusCode, 201)
      assert.equal((await addKey()).statusCode, 201)
    })

    test('the seller itself cannot be deactivated, an unknown one is not found, and only managers and admins may', async () => {
      const seller = await setActive(world, admin.headers, ORG.playerOne, 'deactivate')
      assert.equal(seller.statusCode, 409, seller.body)
      assert.equal((seller.json() as { error: { field: string } }).error.field, 'params.id')
      const unknown = await setActive(world, admin.headers, 'org-nobody', 'deactivate')
      assert.equal(unknown.statusCode, 404, unknown.body)
      assert.equal((unknown.json() as { error: { field: string } }).error.field, 'params.id')
      const support = await createTestUser(world.database.db, { role: 'support' })
      for (const headers of [
        world.staff.headers,
        support.headers,
        world.dealer.headers,
        world.otherDealer.headers,
        world.customer.headers,
      ])
        for (const action of ['deactivate', 'reactivate'] as const)
          assert.equal((await setActive(world, headers, ORG.prairie, action)).statusCode, 403)
      assert.equal((await setActive(world, {}, ORG.prairie, 'deactivate')).statusCode, 401)
      const prairie = await world.app.inject({ method: 'GET', url: '/api/v1/organisations?kind=dealer' })
      assert.equal(
        (prairie.json() as { items: OrganisationJson[] }).items.find((o) => o.id === ORG.prairie)?.active,
        true,
      )
    })

    test('for any sequence of deactivations and reactivations, its key works exactly when the last left it active', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.boolean(), { maxLength: 6 }), async (steps) => {
          for (const active of steps)
            await setActive(world, manager.headers, ORG.prairie, active ? 'reactivate' : 'deactivate')
          const response = await world.app.inject({
            method: 'GET',
            url: '/api/v1/claims',
            headers: world.otherDealer.headers,
          })
          const expected = steps.at(-1) ?? true
          if (expected) assert.equal(response.statusCode, 200, response.body)
          else assert.equal(response.statusCode, 403, response.body)
          await setActive(world, manager.headers, ORG.prairie, 'reactivate')
        }),
        { numRuns: 15 },
      )
    })
  })
}
