'use strict';

/** knex seed: patients shared with the partner laboratories in Munich, Valencia and Milan. */
exports.seed = async function seed(knex) {
  await knex('partner_patients').del();
  await knex('partner_patients').insert([
    {
      partner: 'Valencia',
      apellido: 'Ferrer',
      // ok: hardcoded-health-identifier
      telefono: '6123450980',
      // French frontier worker covered by the CPAM
      // ruleid: hardcoded-health-identifier
      nir: '260022B00421749',
    },
    {
      partner: 'Milano',
      cognome: 'Rossi',
      // ok: hardcoded-health-identifier
      telefono: '347 125 0085',
      // ruleid: hardcoded-health-identifier
      numero_sicurezza_sociale_francese: '1 81 03 30 124 123 09',
    },
    {
      partner: 'München',
      nachname: 'Becker',
      // ok: hardcoded-health-identifier
      telefonnummer: '151 7304407',
      // ok: hardcoded-health-identifier
      auftragsnummer: 'A-2024-0042117',
    },
  ]);
};
