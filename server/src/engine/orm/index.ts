import type { SchemaCollector } from '../facts.js';
import { decoratedEntityCollector } from './decorators.js';
import { entitySchemaCollector } from './entity-schema.js';
import { knexCollector } from './knex.js';
import { mongooseCollector } from './mongoose.js';
import { objectionCollector } from './objection.js';
import { prismaCollector } from './prisma.js';
import { sequelizeCollector } from './sequelize.js';

/** Schema collectors of the ORMs: Prisma, TypeORM/MikroORM/sequelize-typescript decorators, EntitySchema, Sequelize, Mongoose (+ CSFLE), knex, Kysely and Drizzle, Objection. */
export const ORM_COLLECTORS: readonly SchemaCollector[] = [
  prismaCollector,
  decoratedEntityCollector,
  entitySchemaCollector,
  sequelizeCollector,
  mongooseCollector,
  knexCollector,
  objectionCollector,
];
