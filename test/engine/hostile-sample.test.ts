import { testConfig } from '../helpers.js';
import { hostileSuite } from '../fuzz/hostile.js';

// A sample of the hostile files of `npm run test:fuzz` for every `npm test`: 1,000 lines each, a
// budget small enough that some stop (and say so).
hostileSuite(1_000, testConfig({ workBudget: 200_000 }));
