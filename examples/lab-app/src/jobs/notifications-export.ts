// Weekly mandatory notification to the regional health agency (fictional demo code).
// The file only lives for the upload: it is deleted in `finally`, nothing stays on the server, and
// it is written readable by its owner only (mode 0600), not by every account of the machine.
import { unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SftpClient from 'ssh2-sftp-client';
import { db } from '../server/db';

export async function exportNotifications(weekStart: string): Promise<void> {
  const { rows } = await db.query(
    'SELECT r.code_loinc, r.valeur, r.valide_le FROM resultats r WHERE r.interpretation = $1 AND r.valide_le >= $2',
    ['POS', weekStart],
  );
  const file = join(tmpdir(), `notifications-${weekStart}.csv`);
  await writeFile(file, rows.map((r) => [r.code_loinc, r.valeur, r.valide_le].join(';')).join('\n'), { mode: 0o600 });
  const sftp = new SftpClient();
  try {
    await sftp.connect({ host: process.env.AGENCY_SFTP_HOST, username: 'biolab' });
    await sftp.fastPut(file, `/inbox/notifications-${weekStart}.csv`);
  } finally {
    await sftp.end();
    await unlink(file);
  }
}
