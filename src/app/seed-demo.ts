import type { Role } from '../auth/actor.ts'
import { createUser } from '../auth/create-user.ts'
import { verifyPassword } from '../auth/secrets.ts'
import { findUserByEmail } from '../auth/user.store.ts'
import { seedDemoClaims } from '../claims/demo-seed.ts'
import { seedDemoRecoveries } from '../recoveries/recovery-demo-seed.ts'
import { ORG } from '../registry/demo-catalogue.ts'
import { seedDemoRegistry } from '../registry/demo-seed.ts'
import { seedDemoReliability } from '../reliability/demo-seed.ts'
import { raiseReliabilityFlags } from '../reliability/raise-flags.ts'
import type { AppContext } from '../shared/app-context.ts'

/** The password of every demo sign-in: the demo is for trying the system, never for real data. */
export const DEMO_PASSWORD = 'aftercare-demo'

export interface DemoSignIn {
  role: Role
  name: string
  email: string
  password: string
}

export interface DemoSeedReport {
  signIns: DemoSignIn[]
  serials: string[]
}

/**
 * Seeds the demo: the registry (sellers, dealers, catalogue, customers, units), one user
 * per staff role, two dealer users, a customer user, claims, and the field history of one
 * model for the reliability page. Running it again adds
 * nothing and answers the same sign-ins.
 */
export async function seedDemo(ctx: AppContext): Promise<DemoSeedReport> {
  const registry = await seedDemoRegistry(ctx)
  const [firstDealer, secondDealer] = registry.dealerOrgIds
  const customerId = registry.customerIds[0]
  const customer = customerId
    ? await ctx.db
        .selectFrom('customers')
        .select(['email', 'name'])
        .where('id', '=', customerId)
        .executeTakeFirst()
    : undefined

  const wanted: Array<Omit<DemoSignIn, 'password'> & { orgId?: string; customerId?: string }> = [
    { role: 'admin', name: 'Alex Admin', email: 'admin@demo.aftercare.local' },
    { role: 'support', name: 'Sam Support', email: 'support@demo.aftercare.local' },
    { role: 'technician', name: 'Tess Technician', email: 'technician@demo.aftercare.local' },
    { role: 'manager', name: 'Morgan Manager', email: 'manager@demo.aftercare.local' },
  ]
  if (firstDealer)
    wanted.push({
      role: 'dealer',
      name: 'Dana Dealer',
      email: 'dealer1@demo.aftercare.local',
      orgId: firstDealer,
    })
  if (secondDealer)
    wanted.push({
      role: 'dealer',
      name: 'Drew Dealer',
      email: 'dealer2@demo.aftercare.local',
      orgId: secondDealer,
    })
  // The agent-brand maker answers the recovery claims addressed to it from its own desk.
  wanted.push({
    role: 'dealer',
    name: 'Mia Maker',
    email: 'maker@demo.aftercare.local',
    orgId: ORG.aurora,
  })
  // The demo customer also gets a password so the portal can be tried without reading mail;
  // real customers sign in by e-mailed link.
  if (customer && customerId)
    wanted.push({ role: 'customer', name: customer.name, email: customer.email, customerId })

  const signIns: DemoSignIn[] = []
  for (const user of wanted) {
    if (!(await findUserByEmail(ctx.db, user.email))) {
      await createUser(ctx.db, { ...user, password: DEMO_PASSWORD }, ctx.now())
    }
    signIns.push({ role: user.role, name: user.name, email: user.email, password: DEMO_PASSWORD })
  }

  await seedDemoClaims(ctx, registry)
  await seedDemoRecoveries(ctx, registry)
  await seedDemoReliability(ctx)
  // The early-warning check runs every six hours in a server; the demo shows its flags at once.
  await raiseReliabilityFlags(ctx)
  return { signIns, serials: registry.serials }
}

/**
 * What a first start does after migrating: seeds the demo on an empty database, or again on
 * one whose demo seeding never finished (its process killed, or stopped on losing the start
 * lock), which adds only what is missing. A database with organisations and no record of a
 * demo seeding (set up for real, or seeded before the record was kept) is left alone.
 * `seeding` is told before the seeding starts. Answers whether it seeded.
 */
export async function seedDemoOnFirstStart(ctx: AppContext, seeding: () => void): Promise<boolean> {
  const record = await ctx.db.selectFrom('demo_seed').select('finished_at').executeTakeFirst()
  if (record?.finished_at) return false
  if (!record) {
    const organisation = await ctx.db.selectFrom('organisations').select('id').limit(1).executeTakeFirst()
    if (organisation) return false
    // Written before the demo's first row, so a seeding stopped half-way is known as such.
    await ctx.db
      .insertInto('demo_seed')
      .values({ id: 1, started_at: ctx.now().toISOString(), finished_at: null })
      .execute()
  }
  seeding()
  await seedDemo(ctx)
  await ctx.db
    .updateTable('demo_seed')
    .set({ finished_at: ctx.now().toISOString() })
    .where('id', '=', 1)
    .execute()
  return true
}

/** The demo sign-ins that still work with the demo password (someone may have changed theirs). */
export async function listDemoSignIns(ctx: AppContext): Promise<DemoSignIn[]> {
  const users = await ctx.db
    .selectFrom('users')
    .select(['email', 'name', 'role', 'password_hash'])
    .where((eb) =>
      eb.or([eb('email', 'like', '%@demo.aftercare.local'), eb('customer_id', 'like', 'cus-demo-%')]),
    )
    .where('password_hash', 'is not', null)
    .execute()
  const order: Role[] = ['admin', 'support', 'technician', 'manager', 'dealer', 'customer']
  const checked = await Promise.all(
    users.map(async (u) => ((await verifyPassword(DEMO_PASSWORD, u.password_hash)) ? u : null)),
  )
  return checked
    .filter((u) => u !== null)
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.email.localeCompare(b.email))
    .map((u) => ({ role: u.role, name: u.name, email: u.email, password: DEMO_PASSWORD }))
}
