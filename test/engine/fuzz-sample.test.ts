import { fuzzSuite } from '../fuzz/suite.js';

// A small seed-fixed sample of the fuzz suite for every `npm test`.
fuzzSuite(60, 20261128);
