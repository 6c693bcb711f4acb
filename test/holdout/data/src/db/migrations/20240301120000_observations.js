'use strict';

/**
 * Observations imported from the chemistry and haematology analysers.
 * @param {import('knex').Knex} knex
 */
exports.up = function up(knex) {
  return knex.schema
    .createTable('observations', function (t) {
      t.increments('id');
      t.uuid('patient_id').notNullable().references('id').inTable('ehr_patients');
      // ok: plaintext-health-data
      t.string('loinc_code', 10).notNullable();
      // ruleid: plaintext-health-data
      t.decimal('observation_value', 12, 4);
      // ok: plaintext-health-data
      t.string('units', 16);
      // ruleid: plaintext-health-data
      t.string('interpretation_code', 4);
      // ok: plaintext-health-data
      t.enu('status', ['registered', 'preliminary', 'final', 'amended']).defaultTo('registered');
      // ruleid: plaintext-health-data
      t.text('hba1c_comment');
      t.timestamp('observed_at').notNullable();
    })
    .createTable('genetic_panels', (table) => {
      table.bigIncrements('id');
      // ok: plaintext-health-data
      table.string('panel_code', 20).notNullable();
      // ruleid: plaintext-health-data
      table.specificType('variant_calls', 'text[]');
      // ruleid: plaintext-health-data
      table.string('brca2_status', 16);
      // ok: plaintext-health-data
      table.binary('vcf_encrypted');
      // ok: plaintext-health-data
      table.integer('result_count').defaultTo(0);
    })
    .alterTable('ehr_patients', (table) => {
      // ruleid: plaintext-health-data
      table.string('blood_type', 3);
      // ok: plaintext-health-data
      table.string('preferred_language', 8);
    });
};

exports.down = function down(knex) {
  return knex.schema
    .alterTable('ehr_patients', (table) => {
      // ok: plaintext-health-data
      table.dropColumn('blood_type');
    })
    .dropTable('genetic_panels')
    .dropTable('observations');
};
