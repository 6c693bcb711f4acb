import type { Detector } from '../detector.js';

/** Every built-in detector, one per rule id. */
export const DETECTORS: readonly Detector[] = [];
