// Export job for the partner laboratory (run by cron on the migration server).
// Fictional demo code: every name and value is invented.
import { writeFile } from 'node:fs/promises';
import { Pool } from 'pg';
import { stringify } from 'csv-stringify/sync';
import axios from 'axios';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const PUBLIC_DIR = '/srv/www/public/exports';

/** Whole patient and results tables to CSV in the public folder. */
export async function exportPatients(): Promise<void> {
  const { rows: patients } = await pool.query('SELECT * FROM patients');
  await writeFile(`${PUBLIC_DIR}/patients.csv`, stringify(patients, { header: true }));

  const { rows: results } = await pool.query(`
    SELECT r.*, p.nom, p.prenom
    FROM resultats r
    JOIN prelevements pr ON pr.id = r.prelevement_id
    JOIN patients p ON p.id = pr.patient_id
    WHERE r.valide_le >= now() - interval '1 day'`);
  await writeFile(`${PUBLIC_DIR}/resultats-${Date.now()}.csv`, stringify(results, { header: true }));
}

/** What the partner asked for: barcode, test and value, no identity. */
export async function sendToPartner(since: string): Promise<void> {
  const { rows } = await pool.query(
    'SELECT pr.code_barre, r.code_loinc, r.valeur, r.unite FROM resultats r JOIN prelevements pr ON pr.id = r.prelevement_id WHERE r.valide_le >= $1',
    [since],
  );
  await axios.post('https://partner-lab.example.org/api/results', { rows });
}
