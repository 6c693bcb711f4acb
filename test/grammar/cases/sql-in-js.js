// SYNTAX TEST "source.js" "SQL inside JavaScript keeps JavaScript scopes"

const q = sql`SELECT * FROM t WHERE id = ${id}`;
//        ^^^ entity.name.function.tagged-template.js
//            ^^^^^^ string.template.js meta.embedded.block.sql keyword.other.DML.sql
//                                       ^^ meta.embedded.block.sql meta.template.expression.js punctuation.definition.template-expression.begin.js
//                                         ^^ meta.embedded.line.js variable.other.readwrite.js
//                                             ^ punctuation.terminator.statement.js
const r = knex.raw('select 1 from t');
//                  ^^^^^^ string.quoted.single.js meta.embedded.block.sql keyword.other.DML.sql
const s = /* sql */ `INSERT INTO t VALUES (${a})`;
//                   ^^^^^^ string.template.js meta.embedded.block.sql keyword.other.DML.sql
//                                           ^ meta.embedded.line.js variable.other.readwrite.js
const n = `Hello ${name}`;
//         ^^^^^ string.template.js - meta.embedded.block.sql
