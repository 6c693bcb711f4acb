// Daily results for a partner laboratory whose old LIS only accepts FTP (fictional demo code).
// Plain FTP sends the file and the password in clear: "files sent in clear" in SAN-2022-009
// (health-data-in-clear-transit, error). `secure: true` (FTPS) or SFTP fixes it.
import { Client } from 'basic-ftp';
import { Readable } from 'node:stream';
import { db } from '../server/db';

export async function pushResultsToPartner(day: string): Promise<void> {
  const { rows } = await db.query(
    'SELECT pr.code_barre, r.code_loinc, r.valeur, r.unite FROM resultats r JOIN prelevements pr ON pr.id = r.prelevement_id WHERE r.valide_le::date = $1',
    [day],
  );
  const csv = rows.map((r) => [r.code_barre, r.code_loinc, r.valeur, r.unite].join(';')).join('\n');
  const client = new Client();
  try {
    await client.access({ host: 'ftp.partner-lab.example.org', user: 'biolab', password: process.env.PARTNER_FTP_PASSWORD, secure: false });
    await client.uploadFrom(Readable.from(csv), `results-${day}.csv`);
  } finally {
    client.close();
  }
}
