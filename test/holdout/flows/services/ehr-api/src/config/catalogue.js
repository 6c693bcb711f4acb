'use strict';

/** Static reference data shipped with the EHR API. */
module.exports = {
  referenceBooks: [
    // ok: hardcoded-health-identifier
    { title: 'Clinical Biochemistry: Metabolic and Clinical Aspects', isbn10: '0198568258' },
  ],
  // Card used by the payment sandbox for private (self-pay) tests
  // ok: hardcoded-health-identifier
  sandboxCard: '4539 1488 0343 6467',
  // ok: hardcoded-health-identifier
  catalogueBuiltAt: 1718200102,
  // ok: hardcoded-health-identifier
  switchboard: '+44 161 496 0734',
  // ok: hardcoded-health-identifier
  gmcNumberOfLeadConsultant: '7123456',
  // ok: hardcoded-health-identifier
  defaultOrderNumberSeed: 5200318858,
};
