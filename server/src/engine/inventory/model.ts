import type { Category } from '../vocabulary/classify.js';
import type { SchemaSource } from '../schema.js';

/**
 * The privacy inventory of a project (Art. 30 record of processing, DPIA input): what personal
 * data the code stores, serves, extracts, sends and logs. Built from the engine's indexes and
 * findings; names only, never values. `version` changes when this shape changes incompatibly.
 */
export interface Inventory {
  version: 1;
  summary: InventorySummary;
  stores: StoreEntry[];
  routes: RouteEntry[];
  exports: ExportEntry[];
  thirdParties: ThirdPartyEntry[];
  logs: LogEntry[];
  retention: RetentionEntry[];
  /** What may be missing and why (a rule turned off, a file not analysed...). */
  notes: string[];
}

/** A place in a project file: path relative to the project root, 1-based line and column. */
export interface Location {
  file: string;
  line: number;
  column: number;
}

/** `encrypted`: every special-category field is protected; `no-special-data`: nothing to protect. */
export type StoreProtection = 'encrypted' | 'partly-encrypted' | 'plaintext' | 'no-special-data';

export interface FieldEntry {
  name: string;
  /** The database column, when a model field maps to another name. */
  column?: string;
  /** Declared type as written, when known. */
  type?: string;
  category: Category;
  /** Special category of Art. 9 or a national health identifier. */
  special: boolean;
  /** What encrypts it (`pgp_sym_encrypt`, `Always Encrypted`, `@encrypted`...); null = stored in clear. */
  protection: string | null;
  /** Why the name was classified (the vocabulary term that matched). */
  why: string;
  location: Location;
}

export interface StoreEntry {
  /** Anchor for links (`store-patients`). */
  id: string;
  name: string;
  kind: 'table' | 'view' | 'model' | 'collection';
  /** Where it is declared from: SQL DDL, Prisma, each ORM. */
  sources: SchemaSource[];
  /** Other names it goes by (the table a model maps to...). */
  aliases: string[];
  /** Every declaration (CREATE TABLE, ALTER TABLE ADD COLUMN, a model, an entity). */
  declared: Location[];
  /** Number of known columns or fields. */
  columnCount: number;
  /** Categories of its fields, special ones first. */
  categories: Category[];
  protection: StoreProtection;
  /** Its personal-data fields (special categories, identifiers, identity, contact...). */
  fields: FieldEntry[];
}

/** How a route is reached: `none` when nothing authenticates it. */
export type RouteAuth = 'authenticated' | 'none' | 'opted-out' | 'optional' | 'unmounted' | 'unverified';

export interface RouteEntry {
  id: string;
  method: string;
  /** Full path: router, mount and controller prefixes included. */
  path: string;
  framework: string;
  auth: RouteAuth;
  /** The middleware, guards or checks that authenticate it (`requireAuth`). */
  authBy: string[];
  /** Public by design (health check, login...). */
  publicReason?: string;
  /** Categories of personal data the handler reads or returns. */
  categories: Category[];
  /** What shows it: `res.json(rows)`, `results.value`, `its path (resultats)`. */
  reads: string[];
  location: Location;
}

type DestinationKind =
  'file' | 'bucket' | 'host' | 'table' | 'stream' | 'download' | 'queue' | 'mail' | 'program' | 'unknown';

export interface Destination {
  kind: DestinationKind;
  /** The file path, bucket, host or table as far as the code tells (`{expr}` for what it computes). */
  target?: string;
  /**
   * Others can read it: a folder a web or FTP server publishes (`/public/`, `/www/`, `public_html`,
   * `srv/ftp`...), a directory the application serves, a shared `/tmp`, a public bucket or ACL, a
   * long-lived signed link.
   */
  public: boolean;
  /** Why it is public, when it is. */
  exposure?: string;
  /** The call or clause that writes it out: `writeFile`, `COPY ... TO`, `axios.post`. */
  via: string;
}

/** A finding of a rule about an inventory row (the row's risk, as the editor and the CI report it). */
export interface FindingLink {
  ruleId: string;
  severity: 'error' | 'warning' | 'note';
  message: string;
  /** The finding was suppressed with this justification. */
  accepted?: string;
}

export interface ExportColumn {
  table?: string;
  name: string;
  category: Category;
  special: boolean;
}

export interface ExportEntry {
  id: string;
  /** `export`: data leaves the database; `migration`: copied into another table. */
  kind: 'export' | 'migration';
  /** The function (job) that runs it, or the SQL file. */
  job: string;
  /** The statement, shortened, digits of identifiers masked. */
  statement: string;
  tables: string[];
  /** Columns extracted (`*` expanded from the schema when the table is known). */
  columns: string[];
  personalColumns: ExportColumn[];
  categories: Category[];
  /** `SELECT *`, `t.*`, a whole-record ORM read or a `COPY table TO` without a column list. */
  selectStar: boolean;
  destination: Destination;
  location: Location;
  /** Findings about it (`export-to-public-location`). */
  findings?: FindingLink[];
}

export interface ThirdPartyFlow {
  /** The HTTP call or SDK method, or `export` for an export job. */
  via: string;
  categories: Category[];
  /** Health data (a `health-data-to-third-party` finding) rather than other personal data only. */
  health: boolean;
  /** The finding was suppressed with this justification: the flow is known and accepted. */
  accepted?: string;
  location: Location;
  /** Findings about the same call (`health-data-in-clear-transit`: sent over a channel without encryption). */
  findings?: FindingLink[];
}

export interface ThirdPartyEntry {
  id: string;
  /** The external host (`api.sms-provider.example.com`), SDK (`Sentry`) or `$ENV_VARIABLE`. */
  name: string;
  kind: 'host' | 'sdk' | 'host-variable';
  categories: Category[];
  health: boolean;
  flows: ThirdPartyFlow[];
}

export interface LogEntry {
  id: string;
  /** `logger.info`, `console.error`, `throw`. */
  sink: string;
  category: Category;
  /** The access path that carries it (`result.value`): a name, not a value. */
  path?: string;
  accepted?: string;
  location: Location;
}

export interface RetentionEntry {
  id: string;
  /** The export whose output this is. */
  exportId: string;
  kind: 'file' | 'bucket' | 'table';
  target: string;
  public: boolean;
  /** Special categories in the written data. */
  categories: Category[];
  /** Something deletes it: unlink/rm or a TTL in the job, its caller or its file, a purge or drop of the copy, a cleanup naming it, a declared retention. */
  deleted: boolean;
  deletion?: {
    how: string;
    scope: 'function' | 'caller' | 'file' | 'project' | 'config' | 'session';
    location?: Location;
  };
  location: Location;
  /** Findings about it (`export-without-erasure`). */
  findings?: FindingLink[];
}

export type RiskLevel = 'high' | 'medium' | 'low';

export interface Risk {
  level: RiskLevel;
  title: string;
  section: 'stores' | 'routes' | 'exports' | 'thirdParties' | 'logs' | 'retention';
  /** The id of the item it is about (an anchor of the HTML report). */
  target: string;
  location: Location;
}

export interface CategoryCount {
  category: Category;
  special: boolean;
  fields: number;
  routes: number;
  exports: number;
  thirdParties: number;
  logs: number;
}

export interface InventorySummary {
  counts: {
    stores: number;
    storesWithSpecialData: number;
    personalFields: number;
    specialFields: number;
    routes: number;
    routesWithoutAuth: number;
    exports: number;
    publicExports: number;
    thirdParties: number;
    logs: number;
    filesNeverDeleted: number;
  };
  /** One row per category seen anywhere, special categories first. */
  categories: CategoryCount[];
  protection: {
    /** Special-category fields by state. */
    fields: { encrypted: number; plaintext: number };
    stores: Record<StoreProtection, number>;
  };
  /** The most serious risks first, at most ten. */
  risks: Risk[];
}
