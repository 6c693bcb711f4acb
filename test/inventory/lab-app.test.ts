import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../server/src/engine/inventory/index.js';
import { REPO_ROOT } from '../helpers.js';
import { runInProcess } from '../cli/run-cli.js';

/** The JSON inventory of the demo app, field by field: every planted store, route, export and third party. */
describe('gdpr-lint inventory examples/lab-app --format json', async () => {
  const run = await runInProcess(['inventory', 'examples/lab-app', '--format', 'json'], REPO_ROOT);
  const inv = JSON.parse(run.stdout) as Inventory & { tool: { name: string; version: string }; project: string };

  it('exits 0 and names the tool and the project', () => {
    expect(run.code).toBe(0);
    expect(inv.tool.name).toBe('gdpr-lint');
    expect(inv.project).toBe('lab-app');
    expect(inv.version).toBe(1);
    expect(inv.notes).toEqual([]);
  });

  it('lists every table and model with its personal fields, categories and protection', () => {
    const stores = inv.stores.map((s) => [
      s.name,
      s.kind,
      s.sources,
      s.protection,
      s.fields.map((f) => [f.name, f.category, f.protection]),
    ]);
    const TRANSFORMER = 'transformer encryptedTransformer (a transformer calling encryptField)';
    expect(stores).toEqual([
      [
        'patients',
        'table',
        ['sql', 'typeorm'],
        'partly-encrypted',
        [
          ['nom', 'identity', null],
          ['prenom', 'identity', null],
          ['date_naissance', 'identity', null],
          ['sexe', 'identity', null],
          ['nir', 'health-identifier', null],
          ['telephone', 'contact', null],
          ['email', 'contact', null],
          ['statut_vih', 'health-condition', null],
          ['insMatricule', 'health-identifier', TRANSFORMER],
          ['nirAssure', 'health-identifier', null],
          ['antecedents', 'health-condition', null],
          ['allergies', 'health-condition', TRANSFORMER],
        ],
      ],
      [
        'prelevements',
        'table',
        ['sql'],
        'plaintext',
        [
          ['patient_id', 'identity', null],
          ['renseignements_cliniques', 'health-condition', null],
        ],
      ],
      ['lab_settings', 'table', ['sql'], 'no-special-data', []],
      [
        'resultats',
        'table',
        ['sql'],
        'plaintext',
        [
          ['valeur', 'lab-result', null],
          ['interpretation', 'lab-result', null],
        ],
      ],
      [
        'comptes_rendus',
        'table',
        ['sql'],
        'encrypted',
        [
          ['patient_id', 'identity', null],
          ['conclusion_chiffree', 'lab-result', 'binary ciphertext column (BYTEA)'],
        ],
      ],
      [
        'dbo.ArchiveReport',
        'table',
        ['sql'],
        'encrypted',
        [
          ['PatientName', 'identity', null],
          ['NhsNumber', 'health-identifier', 'ENCRYPTED WITH (DETERMINISTIC)'],
          ['Conclusion', 'lab-result', 'ENCRYPTED WITH (RANDOMIZED)'],
        ],
      ],
      [
        'PortalPatient',
        'model',
        ['prisma'],
        'encrypted',
        [
          ['lastName', 'identity', null],
          ['firstName', 'identity', null],
          ['birthDate', 'identity', null],
          ['nir', 'health-identifier', 'prisma-field-encryption @encrypted'],
          ['nirHash', 'health-identifier', 'prisma-field-encryption @encryption:hash'],
          ['email', 'contact', null],
        ],
      ],
      [
        'LabResult',
        'model',
        ['prisma'],
        'partly-encrypted',
        [
          ['patientId', 'identity', null],
          ['value', 'lab-result', null],
          ['interpretation', 'lab-result', null],
          ['comment', 'lab-result', 'prisma-field-encryption @encrypted'],
        ],
      ],
      ['PortalSetting', 'model', ['prisma'], 'no-special-data', []],
      [
        'Sample',
        'model',
        ['typeorm'],
        'partly-encrypted',
        [
          ['clinicalInformation', 'health-condition', null],
          ['currentTreatment', 'treatment', TRANSFORMER],
          ['pregnancyWeeks', 'health-condition', null],
        ],
      ],
    ]);
  });

  it('places each store and field where it is declared, merging the table, its ALTER and its entity', () => {
    const patients = inv.stores.find((s) => s.name === 'patients')!;
    expect(patients.declared.map((d) => `${d.file}:${d.line}`)).toEqual([
      'db/migrations/V001__patients_prelevements.sql:6',
      'db/migrations/V002__resultats.sql:24',
      'src/entities/patient.entity.ts:6',
    ]);
    expect(patients.aliases).toEqual(['Patient']);
    expect(patients.fields.find((f) => f.name === 'statut_vih')!.location).toEqual({
      file: 'db/migrations/V002__resultats.sql',
      line: 24,
      column: 33,
    });
    expect(patients.fields.find((f) => f.name === 'nirAssure')).toMatchObject({
      column: 'nir_assure',
      special: true,
      location: { file: 'src/entities/patient.entity.ts', line: 19 },
    });
  });

  it('lists every route with its full path, authentication and what it returns', () => {
    expect(
      inv.routes.map((r) => [
        r.method,
        r.path,
        r.auth,
        r.authBy,
        r.categories,
        `${r.location.file}:${r.location.line}`,
      ]),
    ).toEqual([
      ['GET', '/healthz', 'none', [], [], 'src/server/app.ts:12'],
      ['GET', '/api/patients/:id/results', 'none', [], ['lab-result'], 'src/server/app.ts:16'],
      ['GET', '/api/patients/:id', 'authenticated', ['requireAuth'], ['identity'], 'src/server/app.ts:24'],
      [
        'GET',
        '/api/reports/:id',
        'authenticated',
        ['requireAuth'],
        ['lab-result'],
        'src/server/routes/reports.router.ts:9',
      ],
    ]);
    expect(inv.routes[0]!.publicReason).toBe('health checks');
    expect(inv.routes[1]!.reads).toEqual(['res.json(rows)', 'results.value', 'results.interpretation']);
  });

  it('lists every export and migration with its tables, SELECT * flag and destination', () => {
    const WEB = 'a folder a web server publishes (public)';
    expect(inv.exports.map((e) => [e.job, e.kind, e.tables, e.selectStar, e.destination, e.categories])).toEqual([
      [
        'db/exports/nightly.sql',
        'export',
        ['patients'],
        true,
        {
          kind: 'file',
          target: '/srv/www/public/exports/patients.csv',
          public: true,
          exposure: WEB,
          via: 'COPY ... TO',
        },
        ['health-condition', 'health-identifier', 'identity', 'contact'],
      ],
      [
        'db/exports/nightly.sql',
        'export',
        ['resultats'],
        false,
        {
          kind: 'file',
          target: '/srv/www/public/exports/activite.csv',
          public: true,
          exposure: WEB,
          via: 'COPY ... TO',
        },
        [],
      ],
      [
        'db/exports/nightly.sql',
        'migration',
        ['patients'],
        true,
        { kind: 'table', target: 'patients_backup_v004', public: false, via: 'CREATE TABLE ... AS' },
        ['health-condition', 'health-identifier', 'identity', 'contact'],
      ],
      [
        'exportPatients',
        'export',
        ['patients'],
        true,
        { kind: 'file', target: '/srv/www/public/exports/patients.csv', public: true, exposure: WEB, via: 'writeFile' },
        ['health-condition', 'health-identifier', 'identity', 'contact'],
      ],
      [
        'exportPatients',
        'export',
        ['resultats', 'prelevements', 'patients'],
        true,
        {
          kind: 'file',
          target: '/srv/www/public/exports/resultats-{Date.now()}.csv',
          public: true,
          exposure: WEB,
          via: 'writeFile',
        },
        ['lab-result', 'identity'],
      ],
      [
        'sendToPartner',
        'export',
        ['resultats', 'prelevements'],
        false,
        { kind: 'host', target: 'partner-lab.example.org', public: false, via: 'axios.post' },
        ['lab-result'],
      ],
      [
        'exportNotifications',
        'export',
        ['resultats'],
        false,
        { kind: 'file', target: '{tmpdir()}/notifications-{weekStart}.csv', public: false, via: 'writeFile' },
        ['lab-result'],
      ],
      [
        'pushResultsToPartner',
        'export',
        ['resultats', 'prelevements'],
        false,
        { kind: 'host', public: false, via: 'client.uploadFrom' },
        ['lab-result'],
      ],
    ]);
    // `SELECT *` is expanded to the table's columns as the database has them (its DDL).
    expect(inv.exports[0]!.columns).toEqual([
      'id',
      'nom',
      'prenom',
      'date_naissance',
      'sexe',
      'nir',
      'telephone',
      'email',
      'cree_le',
      'statut_vih',
    ]);
    expect(inv.exports[4]!.personalColumns.map((c) => `${c.table}.${c.name}`)).toEqual([
      'resultats.valeur',
      'resultats.interpretation',
      'patients.nom',
      'patients.prenom',
    ]);
    expect(inv.exports[5]!.columns).toEqual(['code_barre', 'code_loinc', 'valeur', 'unite']);
  });

  it('links each export to the finding of the rule that reports it', () => {
    expect(inv.exports.map((e) => (e.findings ?? []).map((f) => `${f.ruleId} ${f.severity}`))).toEqual([
      ['export-to-public-location error'],
      [],
      [],
      ['export-to-public-location error'],
      ['export-to-public-location error'],
      [],
      [],
      ['health-data-in-clear-transit error'],
    ]);
    expect(inv.retention.map((r) => (r.findings ?? []).map((f) => f.ruleId))).toEqual([
      ['export-without-erasure'],
      [],
      ['export-without-erasure'],
      ['export-without-erasure'],
      ['export-without-erasure'],
      [],
    ]);
  });

  it('lists every third party with the categories it receives', () => {
    expect(
      inv.thirdParties.map((t) => [
        t.name,
        t.kind,
        t.categories,
        t.health,
        t.flows.map((f) => `${f.via} ${f.location.file}:${f.location.line}`),
      ]),
    ).toEqual([
      [
        'api.sms-provider.example.com',
        'host',
        ['lab-result', 'contact'],
        true,
        ['axios.post src/services/results.service.ts:37'],
      ],
      ['hooks.chat.example.com', 'host', ['lab-result'], true, ['fetch src/services/results.service.ts:28']],
      ['partner-lab.example.org', 'host', ['lab-result'], true, ['axios.post scripts/export-patients.ts:31']],
    ]);
  });

  it('lists where health data reaches the logs', () => {
    expect(inv.logs).toEqual([
      {
        id: 'log-results-service-ts-19',
        sink: 'logger.info',
        category: 'lab-result',
        path: 'result.value',
        location: { file: 'src/services/results.service.ts', line: 19, column: 43 },
      },
    ]);
  });

  it('says which export outputs the code never deletes (the Dedalus migration files) and which it does', () => {
    expect(
      inv.retention.map((r) => [
        r.target,
        r.kind,
        r.public,
        r.deleted,
        r.deletion
          ? `${r.deletion.how} (${r.deletion.scope}) ${r.deletion.location!.file}:${r.deletion.location!.line}`
          : null,
      ]),
    ).toEqual([
      ['/srv/www/public/exports/patients.csv', 'file', true, false, null],
      ['/srv/www/public/exports/activite.csv', 'file', true, false, null],
      ['patients_backup_v004', 'table', false, false, null],
      ['/srv/www/public/exports/patients.csv', 'file', true, false, null],
      ['/srv/www/public/exports/resultats-{Date.now()}.csv', 'file', true, false, null],
      [
        '{tmpdir()}/notifications-{weekStart}.csv',
        'file',
        false,
        true,
        'unlink (function) src/jobs/notifications-export.ts:23',
      ],
    ]);
    for (const r of inv.retention) expect(inv.exports.map((e) => e.id)).toContain(r.exportId);
  });

  it('summarises counts, protection and the top risks, each pointing at an item of the report', () => {
    expect(inv.summary.counts).toEqual({
      stores: 10,
      storesWithSpecialData: 8,
      personalFields: 34,
      specialFields: 20,
      routes: 4,
      routesWithoutAuth: 1,
      exports: 8,
      publicExports: 4,
      thirdParties: 3,
      logs: 1,
      filesNeverDeleted: 5,
    });
    expect(inv.summary.protection).toEqual({
      fields: { encrypted: 9, plaintext: 11 },
      stores: { encrypted: 3, 'partly-encrypted': 3, plaintext: 2, 'no-special-data': 2 },
    });
    expect(
      inv.summary.categories.map((c) => [c.category, c.fields, c.routes, c.exports, c.thirdParties, c.logs]),
    ).toEqual([
      ['health-condition', 6, 0, 3, 0, 0],
      ['treatment', 1, 0, 0, 0, 0],
      ['lab-result', 7, 2, 4, 3, 1],
      ['health-identifier', 6, 0, 3, 0, 0],
      ['identity', 11, 1, 4, 0, 0],
      ['contact', 3, 0, 3, 1, 0],
    ]);
    expect(inv.summary.risks.slice(0, 5).map((r) => [r.level, r.section, r.target])).toEqual([
      ['high', 'stores', 'store-patients'],
      ['high', 'routes', 'route-get-api-patients-id-results'],
      ['high', 'exports', 'export-patients-srv-www-public-exports-patients-csv'],
      ['high', 'thirdParties', 'third-party-api-sms-provider-example-com'],
      ['high', 'retention', 'retention-patients-csv'],
    ]);
    const ids = new Set(
      [...inv.stores, ...inv.routes, ...inv.exports, ...inv.thirdParties, ...inv.logs, ...inv.retention].map(
        (i) => i.id,
      ),
    );
    for (const risk of inv.summary.risks) expect(ids.has(risk.target), risk.target).toBe(true);
    expect(inv.summary.risks).toHaveLength(10);
  });

  it('never prints the value of an identifier found in the code', () => {
    // The fixture's valid NIR (demo-patients.fixture.ts) must not appear, even in part.
    expect(run.stdout.replace(/\s/g, '')).not.toContain('2951099126111');
  });
});
