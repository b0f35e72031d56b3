import { lazy, Suspense } from 'react'
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router'
import { SessionProvider } from './auth/session.tsx'
import { Layout } from './components/layout.tsx'
import { RequireRole } from './components/require-role.tsx'
import { Loading } from './components/status.tsx'
import { ClaimPage } from './customer/claim-page.tsx'
import { MyPage } from './customer/my-page.tsx'
import { NewClaimPage } from './customer/new-claim-page.tsx'
import { RegisterUnitPage } from './customer/register-unit-page.tsx'
import { DealerPage } from './dealer/dealer-page.tsx'
import { NotFoundPage } from './public/not-found-page.tsx'
import { SelfChecksPage } from './public/self-checks-page.tsx'
import { SignInLinkPage } from './public/sign-in-link-page.tsx'
import { SignInPage } from './public/sign-in-page.tsx'
import { WarrantyPage } from './public/warranty-page.tsx'
import { SetupGate, SetupPage } from './setup/setup-page.tsx'

// The staff console and the charts are their own chunks: customers on a phone never load them.
const StaffRoutes = lazy(() => import('./staff/staff-routes.tsx'))

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
      {
        path: 'my',
        element: <RequireRole roles={['customer']} />,
        children: [
          { index: true, element: <MyPage /> },
          { path: 'units/new', element: <RegisterUnitPage /> },
          { path: 'claims/new', element: <NewClaimPage /> },
          { path: 'claims/:id', element: <ClaimPage /> },
        ],
      },
      {
        path: 'dealer',
        element: <RequireRole roles={['dealer']} />,
        children: [
          { index: true, element: <DealerPage /> },
          { path: 'claims/new', element: <NewClaimPage /> },
          { path: 'claims/:id', element: <ClaimPage /> },
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
