// SYNTAX TEST "source.ts" "SQL inside TypeScript: every form of sql-embedding.yaml"

// Tagged templates are always SQL.
const a = sql`SELECT * FROM patients WHERE id = ${id}`;
//        ^^^ entity.name.function.tagged-template.ts
//           ^ string.template.ts punctuation.definition.string.template.begin.ts
//            ^^^^^^ string.template.ts meta.embedded.block.sql keyword.other.DML.sql
//                   ^ meta.embedded.block.sql keyword.operator.star.sql
//                          ^^^^^^^^ string.template.ts meta.embedded.block.sql
//                                              ^^ meta.embedded.block.sql meta.template.expression.ts punctuation.definition.template-expression.begin.ts
//                                                ^^ meta.embedded.block.sql meta.template.expression.ts meta.embedded.line.ts variable.other.readwrite.ts
//                                                  ^ meta.embedded.block.sql meta.template.expression.ts punctuation.definition.template-expression.end.ts
//                                                   ^ string.template.ts punctuation.definition.string.template.end.ts - meta.embedded.block.sql
//                                                    ^ punctuation.terminator.statement.ts
const b = SQL`DELETE FROM results`;
//        ^^^ entity.name.function.tagged-template.ts
//            ^^^^^^ meta.embedded.block.sql keyword.other.DML.sql
//                                ^ punctuation.terminator.statement.ts
const c = Prisma.sql`SELECT id FROM t WHERE nir = ${nir}`;
//        ^^^^^^ variable.other.object.ts
//              ^ punctuation.accessor.ts
//               ^^^ entity.name.function.tagged-template.ts
//                   ^^^^^^ meta.embedded.block.sql keyword.other.DML.sql
//                                                  ^^^ meta.embedded.block.sql meta.embedded.line.ts variable.other.readwrite.ts
//                                                       ^ punctuation.terminator.statement.ts
const d = sql.unsafe`select name from t`;
//        ^^^ variable.other.object.ts
//            ^^^^^^ entity.name.function.tagged-template.ts
//                   ^^^^^^ meta.embedded.block.sql keyword.other.DML.sql
//                                      ^ punctuation.terminator.statement.ts
const e = sql<Row>`SELECT 1`;
//        ^^^ entity.name.function.tagged-template.ts
//            ^^^ meta.type.parameters.ts entity.name.type.ts
//                 ^^^^^^ meta.embedded.block.sql keyword.other.DML.sql
//                          ^ punctuation.terminator.statement.ts

// A placeholder stays TypeScript, inside an SQL string too, and may hold another SQL fragment.
const f = sql`SELECT * FROM t WHERE name = '${name}' ${cond ? sql`AND a = ${a}` : sql``}`;
//                                         ^ meta.embedded.block.sql string.quoted.single.sql punctuation.definition.string.begin.sql
//                                          ^^ string.quoted.single.sql meta.template.expression.ts punctuation.definition.template-expression.begin.ts
//                                            ^^^^ string.quoted.single.sql meta.embedded.line.ts variable.other.readwrite.ts - keyword.other.sql
//                                                   ^^ meta.embedded.block.sql meta.template.expression.ts punctuation.definition.template-expression.begin.ts
//                                                     ^^^^ meta.embedded.line.ts variable.other.readwrite.ts - keyword.other.sql
//                                                                                ^^^ meta.embedded.line.ts entity.name.function.tagged-template.ts
//                                                                ^^^ meta.embedded.line.ts meta.embedded.block.sql keyword.other.DML.sql
//                                                                          ^ meta.embedded.block.sql meta.embedded.line.ts meta.embedded.block.sql meta.embedded.line.ts variable.other.readwrite.ts
//                                                                                      ^ string.template.ts punctuation.definition.string.template.end.ts - meta.embedded.block.sql
//                                                                                       ^ punctuation.terminator.statement.ts
const s = `${"SELECT 1"}`;
//            ^^^^^^ meta.embedded.line.ts string.quoted.double.ts meta.embedded.block.sql keyword.other.DML.sql
//                       ^ punctuation.terminator.statement.ts

// Marked by a comment: always SQL, templates and strings.
const g = /* sql */ `UPDATE t SET a = 1`;
//        ^^ comment.block.ts punctuation.definition.comment.ts
//                   ^^^^^^ string.template.ts meta.embedded.block.sql keyword.other.DML.sql
//                                      ^ punctuation.terminator.statement.ts
const h = /*sql*/ 'DELETE FROM t';
//        ^^^^^^^ comment.block.ts
//                 ^^^^^^ string.quoted.single.ts meta.embedded.block.sql keyword.other.DML.sql
//                              ^ string.quoted.single.ts punctuation.definition.string.end.ts - meta.embedded.block.sql
//                               ^ punctuation.terminator.statement.ts
const i = /* SQL */ "insert into t values (1)";
//                   ^^^^^^ string.quoted.double.ts meta.embedded.block.sql keyword.other.DML.sql
//                                            ^ punctuation.terminator.statement.ts

// The first argument of a query call, in either case.
const j = await knex.raw('select id from t where x = ?', [x]);
//                        ^^^^^^ string.quoted.single.ts meta.embedded.block.sql keyword.other.DML.sql
//                                                       ^ meta.array.literal.ts meta.brace.square.ts - meta.embedded.block.sql
//                                                           ^ punctuation.terminator.statement.ts
const k = await db.query(`delete from t where id = ${id}`);
//                        ^^^^^^ string.template.ts meta.embedded.block.sql keyword.other.DML.sql
//                                                   ^^ meta.embedded.block.sql meta.embedded.line.ts variable.other.readwrite.ts
//                                                        ^ punctuation.terminator.statement.ts
const l = await prisma.$queryRaw`select * from patients where id = ${id}`;
//              ^^^^^^ variable.other.object.ts
//                     ^^^^^^^^^ entity.name.function.tagged-template.ts
//                               ^^^^^^ string.template.ts meta.embedded.block.sql keyword.other.DML.sql
//                                                                   ^^ meta.embedded.block.sql meta.embedded.line.ts variable.other.readwrite.ts
//                                                                       ^ punctuation.terminator.statement.ts
const m = await this.db?.query(`
  select name
// <~~------ string.template.ts meta.embedded.block.sql keyword.other.DML.sql
`);
// <- string.template.ts punctuation.definition.string.template.end.ts

// Any string or template that starts with an upper-case statement.
const n = 'CREATE TABLE t (a text)';
//         ^^^^^^ string.quoted.single.ts meta.embedded.block.sql
//                                 ^ punctuation.terminator.statement.ts
const o = await pool.query(
  'SELECT id FROM t WHERE a = $1',
// <~~- string.quoted.single.ts punctuation.definition.string.begin.ts
// ^^^^^^ string.quoted.single.ts meta.embedded.block.sql keyword.other.DML.sql
  [a],
);
const p = await db.query<Row>(`
  SELECT name
// <~~------ string.template.ts meta.embedded.block.sql keyword.other.DML.sql
  FROM patients -- the whole table
//              ^^ meta.embedded.block.sql comment.line.double-dash.sql punctuation.definition.comment.sql
  WHERE id = ${id}
//           ^^ meta.embedded.block.sql meta.template.expression.ts punctuation.definition.template-expression.begin.ts
//             ^^ meta.embedded.line.ts variable.other.readwrite.ts
`, [id]);
// <- string.template.ts punctuation.definition.string.template.end.ts
// ^ meta.array.literal.ts meta.brace.square.ts - meta.embedded.block.sql
//      ^ punctuation.terminator.statement.ts
const q = "SELECT a, '" + b + "' FROM t";
//         ^^^^^^ meta.embedded.block.sql keyword.other.DML.sql
//                   ^ meta.embedded.block.sql string.quoted.single.sql
//        ^ string.quoted.double.ts punctuation.definition.string.begin.ts
//                    ^ string.quoted.double.ts punctuation.definition.string.end.ts - string.quoted.single.sql
//                        ^ variable.other.readwrite.ts - meta.embedded.block.sql
//                                      ^ punctuation.terminator.statement.ts
const r = `WITH x AS (SELECT 1) SELECT * FROM x WHERE a / 2 > 1 AND b #>> '{c}' = '${col}'`;
//         ^^^^ string.template.ts meta.embedded.block.sql
//                                                      ^ meta.embedded.block.sql keyword.operator.math.sql
//                                                                    ^^^ meta.embedded.block.sql keyword.operator.sql
//                                                                                   ^^^ meta.embedded.block.sql string.quoted.single.sql meta.embedded.line.ts variable.other.readwrite.ts
//                                                                                         ^ punctuation.terminator.statement.ts

// The SQL grammar's strings and comments stop at the host's closing delimiter.
const t = sql`SELECT 1 -- trailing comment`;
//                     ^^ meta.embedded.block.sql comment.line.double-dash.sql
//           ^ string.template.ts punctuation.definition.string.template.begin.ts
//                                         ^ punctuation.terminator.statement.ts
const u = sql`SELECT 'unclosed`;
//                    ^^^^^^^^ meta.embedded.block.sql string.quoted.single.sql
//                             ^ punctuation.terminator.statement.ts
const v = 'SELECT "name" /* note */ FROM t';
//                ^^^^^^ meta.embedded.block.sql string.quoted.double.sql
//                          ^^^^ meta.embedded.block.sql comment.block.sql
//                                  ^^^^ meta.embedded.block.sql keyword.other.DML.sql
//                                         ^ punctuation.terminator.statement.ts
const w = sql`SELECT \`x\` FROM t`;
//                   ^^ string.template.ts meta.embedded.block.sql constant.character.escape.ts
//                         ^^^^ meta.embedded.block.sql keyword.other.DML.sql
//                                ^ punctuation.terminator.statement.ts
