import { testConfig } from '../helpers.js';
import { hostileSuite } from './hostile.js';
import { fuzzSuite } from './suite.js';

// `npm run test:fuzz`: 6 properties x 2,000 cases and 200 deeply nested ones, random seed (printed on failure).
fuzzSuite(Number(process.env.FUZZ_RUNS ?? 2000), process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined);
// Valid hostile files of 40,000 lines (about 2 MB each), with the default work budget.
hostileSuite(40_000, testConfig());
