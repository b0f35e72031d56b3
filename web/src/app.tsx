import { lazy, Suspense } from 'react'
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router'
import { PAGE_ROUTES } from '../../src/contracts/pages.ts'
import { ClaimLinkPage } from './auth/claim-link-page.tsx'
import { SessionProvider } from './auth/session.tsx'
import { ClaimNumberGate } from './components/claim-number-gate.tsx'
import { Layout } from './components/layout.tsx'
import { RequireRole } from './components/require-role.tsx'
import { Loading } from './components/status.tsx'
import { ClaimPage } from './customer/claim-page.tsx'
import { MyPage } from './customer/my-page.tsx'
import { NewClaimPage } from './customer/new-claim-page.tsx'
import { RegisterUnitPage } from './customer/register-unit-page.tsx'
import { DealerPage } from './dealer/dealer-page.tsx'
import { ProfilePage } from './profile/profile-page.tsx'
import { NotFoundPage } from './public/not-found-page.tsx'
import { SelfChecksPage } from './public/self-checks-page.tsx'
import { SignInLinkPage } from './public/sign-in-link-page.tsx'
import { SignInPage } from './public/sign-in-page.tsx'
import { UnsubscribePage } from './public/unsubscribe-page.tsx'
import { WarrantyPage } from './public/warranty-page.tsx'
import { RecoveriesPage, RecoveryPage } from './recoveries/recoveries-page.tsx'
import { SetupGate, SetupPage } from './setup/setup-page.tsx'

// The staff console and the charts are their own chunks: customers on a phone never load them.
const StaffRoutes = lazy(() => import('./staff/staff-routes.tsx'))
const ReliabilityPage = lazy(() => import('./reliability/reliability-page.tsx'))
// A dealer works the cases it serves on the service side's page, loaded when first opened.
const DealerCasePage = lazy(() =>
  import('./staff/case-page.tsx').then(({ CasePage }) => ({
    default: () => <CasePage reader="dealer" />,
  })),
)

const STAFF = ['support', 'technician', 'manager', 'admin'] as const

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      {
        index: true,
        element: (
          <SetupGate>
            <WarrantyPage />
          </SetupGate>
        ),
      },
      { path: 'setup', element: <SetupPage /> },
      { path: 'warranty/:serial', element: <WarrantyPage /> },
      { path: 'self-checks', element: <SelfChecksPage /> },
      { path: 'sign-in', element: <SignInPage /> },
      { path: 'sign-in/link', element: <SignInLinkPage /> },
      { path: PAGE_ROUTES.unsubscribe, element: <UnsubscribePage /> },
      {
        path: 'my',
        element: <RequireRole roles={['customer']} />,
        children: [
          { index: true, element: <MyPage /> },
          { path: 'units/new', element: <RegisterUnitPage /> },
          { path: 'profile', element: <ProfilePage /> },
          { path: 'claims/new', element: <NewClaimPage /> },
          {
            path: 'claims/:id',
            element: (
              <ClaimNumberGate>
                <ClaimPage />
              </ClaimNumberGate>
            ),
          },
        ],
      },
      {
        path: 'dealer',
        element: <RequireRole roles={['dealer']} />,
        children: [
          { index: true, element: <DealerPage /> },
          { path: 'claims/new', element: <NewClaimPage /> },
          {
            path: 'claims/:id',
            element: (
              <ClaimNumberGate>
                <Suspense fallback={<Loading />}>
                  <DealerCasePage />
                </Suspense>
              </ClaimNumberGate>
            ),
          },
        ],
      },
      {
        path: 'staff/reliability',
        element: <RequireRole roles={STAFF} />,
        children: [
          {
            index: true,
            element: (
              <Suspense fallback={<Loading />}>
                <ReliabilityPage />
              </Suspense>
            ),
          },
        ],
      },
      {
        path: 'staff/*',
        element: <RequireRole roles={STAFF} />,
        children: [
          {
            path: '*',
            element: (
              <Suspense fallback={<Loading />}>
                <StaffRoutes />
              </Suspense>
            ),
          },
        ],
      },
      // Every link for a claim that leaves the site (e-mail, PDF, QR code) opens here.
      { path: PAGE_ROUTES.claimLink, element: <ClaimLinkPage /> },
      {
        path: 'recoveries',
        element: <RequireRole roles={['dealer', ...STAFF]} />,
        children: [
          { index: true, element: <RecoveriesPage /> },
          { path: ':id', element: <RecoveryPage /> },
        ],
      },
      { path: 'home', element: <Navigate to="/" replace /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
])

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  )
}
