import { useEffect, useState } from 'react';
import localforage from 'localforage';
import { get, set } from 'idb-keyval';
import type { DisplayPrefs, LabResult, PatientSummary, UploadStatus } from '../../types/ehr';
import { sealForBrowser } from '../sealForBrowser';

/** Keeps the last results visible when the portal goes offline. */
export function useCachedLabResults(patientId: string, labResults: LabResult[]) {
  useEffect(() => {
    if (labResults.length === 0) return;
    // ruleid: plaintext-health-data
    sessionStorage.setItem(`labResults:${patientId}`, JSON.stringify(labResults));
  }, [patientId, labResults]);
}

export function useSummaryCache(summary: PatientSummary | undefined) {
  useEffect(() => {
    if (!summary) return;
    // ruleid: plaintext-health-data
    void localforage.setItem('patient-summary', summary);
  }, [summary]);
}

export function useSealedSummaryCache(summary: PatientSummary | undefined, key: CryptoKey) {
  useEffect(() => {
    if (!summary) return;
    void (async () => {
      // ok: plaintext-health-data
      await localforage.setItem('patient-summary.sealed', await sealForBrowser(JSON.stringify(summary), key));
    })();
  }, [summary, key]);
}

export function useLatestResult(result: LabResult | undefined) {
  const [stale, setStale] = useState(false);
  useEffect(() => {
    if (!result) return;
    // ruleid: plaintext-health-data
    set(`latest-result-${result.loincCode}`, result).catch(() => setStale(true));
  }, [result]);
  return stale;
}

export function useDisplayPrefs(prefs: DisplayPrefs) {
  useEffect(() => {
    // ok: plaintext-health-data
    localStorage.setItem('display-prefs', JSON.stringify(prefs));
    // ok: plaintext-health-data
    void set('display-prefs', prefs);
  }, [prefs]);
}

export function useUploadStatus(status: UploadStatus) {
  useEffect(() => {
    // ok: plaintext-health-data
    sessionStorage.setItem('upload.reportUrl', status.reportUrl);
    // ok: plaintext-health-data
    sessionStorage.setItem('upload.resultCount', String(status.resultCount));
  }, [status]);
}

export function useDiagnosisDraft(diagnosis: string) {
  useEffect(() => {
    // ruleid: plaintext-health-data
    localforage.setItem('draft.diagnosis', diagnosis);
  }, [diagnosis]);
}

export function useMedicationReminder(medicationName: string, nextDoseAt: string) {
  useEffect(() => {
    // ruleid: plaintext-health-data
    localStorage.setItem('reminder', JSON.stringify({ medicationName, nextDoseAt }));
  }, [medicationName, nextDoseAt]);
}

export async function readCachedResult(loincCode: string): Promise<LabResult | undefined> {
  // ok: plaintext-health-data
  return get<LabResult>(`latest-result-${loincCode}`);
}
