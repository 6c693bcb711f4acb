-- Ward tablet offline cache (SQLite 3.45). Synced every 5 minutes.
PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS cached_results (
  id            TEXT PRIMARY KEY,
  ward          TEXT NOT NULL,
  -- ok: plaintext-health-data
  bed           TEXT,
  -- ok: plaintext-health-data
  test_name     TEXT NOT NULL,
  -- ruleid: plaintext-health-data
  result_text   TEXT,
  -- ruleid: plaintext-health-data
  critical_flag INTEGER DEFAULT 0,
  -- ok: plaintext-health-data
  synced        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS tablet_settings (name TEXT PRIMARY KEY, value TEXT);

CREATE TABLE IF NOT EXISTS medication_rounds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  bed TEXT NOT NULL,
  -- ruleid: plaintext-health-data
  drug TEXT NOT NULL,
  -- ruleid: plaintext-health-data
  dose TEXT,
  -- ok: plaintext-health-data
  due_at TEXT NOT NULL,
  -- ok: plaintext-health-data
  encrypted_note BLOB
);

-- ruleid: select-star-export
SELECT * FROM cached_results WHERE ward = ?1 ORDER BY bed;

-- ok: select-star-export
SELECT id, synced FROM cached_results WHERE synced = 0;

-- ok: select-star-export
SELECT * FROM tablet_settings;

-- ok: select-star-export
SELECT COUNT(*) FROM medication_rounds WHERE due_at < datetime('now');
