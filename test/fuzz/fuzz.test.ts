import { fuzzSuite } from './suite.js';

// `npm run test:fuzz`: 5 properties x 2,000 cases = 10,000 cases, random seed (printed on failure).
fuzzSuite(Number(process.env.FUZZ_RUNS ?? 2000), process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined);
