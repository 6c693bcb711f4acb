/**
 * The line of `SELECT *` in examples/lab-app/scripts/export-patients.ts once its quick fix ran: the
 * columns of patients as the migrations name them, in their order. The editor e2e (run.mjs) and
 * test/cli/fix.test.ts both expect exactly this text.
 */
export const FIXED_SELECT_STAR_LINE =
  "  const { rows: patients } = await pool.query('SELECT id, nom, prenom, date_naissance, sexe, nir, telephone, email, cree_le, statut_vih FROM patients');";
