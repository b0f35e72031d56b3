import { lazy, Suspense } from 'react'
import { Route, Routes } from 'react-router'
import { ClaimNumberGate } from '../components/claim-number-gate.tsx'
import { Loading } from '../components/status.tsx'
import { NotFoundPage } from '../public/not-found-page.tsx'
import { CasePage } from './case-page.tsx'
import { CataloguePage } from './catalogue-page.tsx'
import { ImportPage } from './import-page.tsx'
import { OrganisationsPage } from './organisations-page.tsx'
import { PendingSalesPage } from './pending-sales-page.tsx'
import { PoliciesPage } from './policies-page.tsx'
import { PolicyPage } from './policy-page.tsx'
import { QueuePage } from './queue-page.tsx'
import { TryPolicyPage } from './try-policy-page.tsx'
import { UnitPage } from './unit-page.tsx'
import { UnitProofsPage } from './unit-proofs-page.tsx'

// chart.js is the heaviest library we ship; only the dashboard pulls it in.
const DashboardPage = lazy(() => import('../dashboard/dashboard-page.tsx'))

/** The staff console, loaded as one chunk after sign-in. */
export default function StaffRoutes() {
  return (
    <Routes>
      <Route index element={<QueuePage />} />
      <Route
        path="claims/:id"
        element={
          <ClaimNumberGate>
            <CasePage />
          </ClaimNumberGate>
        }
      />
      <Route path="catalogue" element={<CataloguePage />} />
      <Route path="units/:serial" element={<UnitPage />} />
      <Route path="dealer-sales" element={<PendingSalesPage />} />
      <Route path="organisations" element={<OrganisationsPage />} />
      <Route path="unit-proofs" element={<UnitProofsPage />} />
      <Route path="import" element={<ImportPage />} />
      <Route path="policies" element={<PoliciesPage />} />
      <Route path="policies/try" element={<TryPolicyPage />} />
      <Route path="policies/:id" element={<PolicyPage />} />
      <Route
        path="dashboard"
        element={
          <Suspense fallback={<Loading />}>
            <DashboardPage />
          </Suspense>
        }
      />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  )
}
