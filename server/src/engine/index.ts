export * from './types.js';
export * from './config.js';
export * from './pack.js';
export * from './project.js';
export * from './text.js';
export * from './fixes.js';
export * from './suppressions.js';
export type { Detector, DetectorContext, FileView, Report } from './detector.js';
export { ProjectFacts } from './facts.js';
export { SchemaIndex, tableKey, type TableFact, type ColumnFact } from './schema.js';
export {
  Classifier,
  classifierFor,
  SPECIAL_CATEGORIES,
  isSpecial,
  type Category,
  type Classification,
} from './vocabulary/classify.js';
export { FILE_ROLES, RoleConventions, type FileRole } from './roles.js';
export { buildInventory, categoryText, type Inventory, type InventoryOptions } from './inventory/index.js';
export type * from './inventory/model.js';
export {
  routeIndex,
  routesOf,
  type FileRouteFacts,
  type AuthStep,
  type Framework,
  type RouteInfo,
  type RouteStatus,
  type Place,
} from './routes/index.js';
export { maskIdentifier, maskSensitiveDigits } from './identifiers/mask.js';
export { splitWords } from './vocabulary/words.js';
export { globMatcher, globProblem, isGlob, pathMatcher } from './custom/glob.js';
export { linearRegex, linearRegexProblem, type LinearRegex } from './linear-regex.js';
export { displayPaths, escapeControl, safeStrings, safeText } from './output-text.js';
export { explainStorageAt, explainTable, type StorageExplanation } from './tables/explain.js';
