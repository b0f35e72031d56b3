import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app.tsx'
import { startI18n } from './i18n/i18n.ts'
import { translateFieldRefusals } from './i18n/validity-messages.ts'
import './styles.css'

const root = document.getElementById('root')
if (!root) throw new Error('The page has no #root element')

// Render only once the reader's language is loaded, so nobody sees English flash before Chinese.
await startI18n()
translateFieldRefusals()
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
