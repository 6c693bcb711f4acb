import type { SchemaCollector } from './facts.js';
import { sqlSchemaCollector } from './sql/schema-collector.js';
import { ORM_COLLECTORS } from './orm/index.js';

/** Every source of schema facts: SQL DDL, Prisma, ORM entities. */
export const SCHEMA_COLLECTORS: readonly SchemaCollector[] = [sqlSchemaCollector, ...ORM_COLLECTORS];
