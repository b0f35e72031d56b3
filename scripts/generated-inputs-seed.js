// Preloaded into every test process: the seed of fast-check's generated inputs for this
// run, chosen once by the runner (scripts/run-tests.js) so every process draws from it and a
// failure can be repeated whole with AFTERCARE_TEST_SEED.
import fc from 'fast-check'

const seed = process.env.AFTERCARE_TEST_SEED
if (seed !== undefined && seed !== '') fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: Number(seed) })
