import Dexie, { type Table } from 'dexie';
import type { DisplayPrefs, LabResult } from '../types/ehr';

interface QueuedUpload {
  id?: number;
  endpoint: string;
  attempts: number;
}

interface SymptomDiaryEntry {
  id?: number;
  day: string;
  symptoms: string[];
  painScore: number;
}

/** Offline store of the patient app (IndexedDB through Dexie). */
class PortalDb extends Dexie {
  labResults!: Table<LabResult, string>;
  uploads!: Table<QueuedUpload, number>;
  diary!: Table<SymptomDiaryEntry, number>;
  prefs!: Table<DisplayPrefs, string>;

  constructor() {
    super('northgate-portal');
    this.version(2).stores({
      labResults: 'id, loincCode, resultedAt',
      uploads: '++id, endpoint',
      diary: '++id, day',
      prefs: 'theme',
    });
  }
}

export const portalDb = new PortalDb();

export async function cacheResults(results: LabResult[]): Promise<void> {
  // ruleid: plaintext-health-data
  await portalDb.labResults.bulkPut(results);
}

export async function saveDiaryEntry(entry: SymptomDiaryEntry): Promise<number> {
  // ruleid: plaintext-health-data
  return portalDb.diary.add(entry);
}

export async function queueUpload(endpoint: string): Promise<void> {
  // ok: plaintext-health-data
  await portalDb.uploads.put({ endpoint, attempts: 0 });
}

export async function savePrefs(prefs: DisplayPrefs): Promise<void> {
  // ok: plaintext-health-data
  await portalDb.prefs.put(prefs);
}
