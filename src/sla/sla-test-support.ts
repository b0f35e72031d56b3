import type { ServiceLevels } from '../policies/index.ts'

/** Seed 002's service levels as a policy states them: 7x12 h support, verify in 12 h, back in 3 working days, forward in 12 h. */
export function seed002ServiceLevels(overrides: Partial<ServiceLevels> = {}): ServiceLevels {
  return {
    calendar: 'cn-mainland',
    timeZone: 'Asia/Shanghai',
    supportHours: { from: '08:00', to: '20:00', everyDay: true },
    targets: [
      {
        clock: 'first-response',
        clause: 'SEED-002#support',
        text: 'Provide 7x12 hours of telephone technical consultation.',
        startOn: 'claim.opened',
        stopOn: [],
        amount: 2,
        unit: 'working-hours',
      },
      {
        clock: 'verify',
        clause: 'SEED-002#verify',
        text: 'We will verify the fault with the customer within 12 hours after receiving the returned products.',
        startOn: 'unit.received',
        stopOn: ['inspection.recorded'],
        amount: 12,
        unit: 'hours',
      },
      {
        clock: 'return',
        clause: 'SEED-002#return',
        text: 'Our own products will be returned to the customers within 3 working days.',
        startOn: 'decision.made',
        stopOn: ['return.shipped'],
        amount: 3,
        unit: 'working-days',
        brand: 'own',
      },
      {
        clock: 'forward',
        clause: 'SEED-002#forward',
        text: 'The agent products will be sent to the manufacturer’s warranty center within 12 hours.',
        startOn: 'unit.received',
        stopOn: ['forwarded.to-maker'],
        amount: 12,
        unit: 'hours',
        brand: 'agent',
      },
    ],
    ...overrides,
  }
}

/** Local Shanghai time as an ISO instant. */
export const shanghai = (local: string): string => new Date(`${local}+08:00`).toISOString()
