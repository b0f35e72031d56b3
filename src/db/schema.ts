import type { AuthTables } from '../auth/auth.tables.ts'
import type { ClaimTables } from '../claims/claim.tables.ts'
import type { FileTables } from '../files/file.tables.ts'
import type { NotifyTables } from '../notify/notify.tables.ts'
import type { RecoveryTables } from '../recoveries/recovery.tables.ts'
import type { RegistryTables } from '../registry/registry.tables.ts'
import type { ReliabilityTables } from '../reliability/reliability.tables.ts'
import type { SetupTables } from '../setup/setup.tables.ts'
import type { SlaTables } from '../sla/sla.tables.ts'

/**
 * The whole database, composed of each feature's tables. Conventions for both engines:
 * ids are text (UUID or readable numbers), timestamps are ISO 8601 UTC text
 * (`2026-01-31T09:00:00.000Z`, sortable), calendar dates are `YYYY-MM-DD` text,
 * booleans are integers 0/1, JSON documents are text. One code path serves SQLite and
 * PostgreSQL.
 */
export interface Database
  extends RegistryTables,
    AuthTables,
    ClaimTables,
    SlaTables,
    NotifyTables,
    FileTables,
    ReliabilityTables,
    RecoveryTables,
    SetupTables {}
