import type { SchemaCollector } from './facts.js';

/** Every source of schema facts: SQL DDL, Prisma, ORM entities. */
export const SCHEMA_COLLECTORS: readonly SchemaCollector[] = [];
