-- Nightly export job (psql -f nightly.sql), run on the migration server.
-- The files land in the web server's public folder: the Dedalus pattern.

-- Full patient file for the new LIS vendor (migration "lot 2")
COPY (SELECT * FROM patients) TO '/srv/www/public/exports/patients.csv' WITH (FORMAT csv, HEADER);

-- Monthly activity for the regional health agency: aggregates only
COPY (SELECT code_loinc, date_trunc('month', valide_le) AS mois, count(*) AS nb FROM resultats GROUP BY 1, 2)
  TO '/srv/www/public/exports/activite.csv' WITH (FORMAT csv, HEADER);

-- Backup before renaming identity columns
CREATE TABLE patients_backup_v004 AS SELECT * FROM patients;

-- Settings read by the job itself
SELECT * FROM lab_settings WHERE cle LIKE 'export.%';
