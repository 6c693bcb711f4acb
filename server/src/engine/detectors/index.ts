import type { Detector } from '../detector.js';
import { exportToPublicLocation } from './export-to-public-location.js';
import { exportWithoutErasure } from './export-without-erasure.js';
import { hardcodedHealthIdentifier } from './hardcoded-health-identifier.js';
import { healthDataInClearTransit } from './health-data-in-clear-transit.js';
import { healthDataInLogs } from './health-data-in-logs.js';
import { healthDataToThirdParty } from './health-data-to-third-party.js';
import { plaintextHealthData } from './plaintext-health-data.js';
import { selectStarExport } from './select-star-export.js';
import { suppressionComment } from './suppression-comment.js';
import { unauthenticatedRoute } from './unauthenticated-route.js';

/** Every built-in detector, one per rule id. */
export const DETECTORS: readonly Detector[] = [
  exportToPublicLocation,
  exportWithoutErasure,
  hardcodedHealthIdentifier,
  healthDataInClearTransit,
  healthDataInLogs,
  healthDataToThirdParty,
  plaintextHealthData,
  selectStarExport,
  suppressionComment,
  unauthenticatedRoute,
];
