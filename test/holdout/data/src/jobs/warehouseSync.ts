import sql from 'mssql';
import oracledb from 'oracledb';
import archiver from 'archiver';
import { createWriteStream } from 'node:fs';
import type { Response } from 'express';

/** Pull from the trust's SQL Server EPR and hand a zip to the research partner. */
export async function buildResearchBundle(outPath: string): Promise<void> {
  const mssqlPool = await sql.connect(process.env.EPR_MSSQL_URL ?? '');
  // ruleid: select-star-export
  const encounters = await mssqlPool.request().query('SELECT * FROM [dbo].[Encounters] WHERE [AdmittedAt] >= DATEADD(year, -1, GETDATE())');

  const ora = await oracledb.getConnection({ user: 'research', connectString: 'onco-db/ONCO' });
  // ruleid: select-star-export
  const tumours = await ora.execute('SELECT t.* FROM onco.tumour_registry t WHERE t.diagnosed_on >= ADD_MONTHS(SYSDATE, -12)');

  const zip = archiver('zip');
  zip.pipe(createWriteStream(outPath));
  // any: plaintext-health-data
  zip.append(JSON.stringify(encounters.recordset), { name: 'encounters.json' });
  // any: plaintext-health-data
  zip.append(JSON.stringify(tumours.rows), { name: 'tumours.json' });
  await zip.finalize();
}

/** Download button on the ward dashboard. */
export async function downloadWardList(ward: string, res: Response): Promise<void> {
  const mssqlPool = await sql.connect(process.env.EPR_MSSQL_URL ?? '');
  // ok: select-star-export
  const result = await mssqlPool
    .request()
    .input('ward', sql.VarChar, ward)
    .query('SELECT BedNumber, GivenName, FamilyName, AdmittedAt FROM dbo.Encounters WHERE Ward = @ward');
  res.attachment(`ward-${ward}.csv`);
  res.send(result.recordset.map((r) => Object.values(r).join(',')).join('\n'));
}

export async function downloadAdmissions(res: Response): Promise<void> {
  const mssqlPool = await sql.connect(process.env.EPR_MSSQL_URL ?? '');
  const result = await mssqlPool
    .request()
    // ruleid: select-star-export
    .query(`SELECT e.*, p.NhsNumber FROM dbo.Encounters AS e INNER JOIN dbo.Patients AS p ON p.Id = e.PatientId`);
  res.attachment('admissions.csv');
  res.send(result.recordset.map((r) => Object.values(r).join(',')).join('\n'));
}

export async function analyserConfig(): Promise<unknown[]> {
  const ora = await oracledb.getConnection({ user: 'lis', connectString: 'lis-db/LIS' });
  // ok: select-star-export
  const r = await ora.execute('SELECT * FROM lis.analyser_config');
  return r.rows ?? [];
}
