// SYNTAX TEST "source.ts" "Strings and templates that are not SQL stay plain strings"

const a = `Hello ${name}, your SELECT results are ready`;
//         ^^^^^ string.template.ts - meta.embedded.block.sql
//               ^^ meta.template.expression.ts punctuation.definition.template-expression.begin.ts
//                             ^^^^^^ string.template.ts - meta.embedded.block.sql keyword.other.DML.sql
//                                                      ^ punctuation.terminator.statement.ts
const b = `
  Dear ${name},
// <~~---- string.template.ts - meta.embedded.block.sql
//     ^^ meta.template.expression.ts punctuation.definition.template-expression.begin.ts
//       ^^^^ meta.embedded.line.ts variable.other.readwrite.ts
  SELECT a slot
// <~~------ string.template.ts - meta.embedded.block.sql
`;
// <- string.template.ts punctuation.definition.string.template.end.ts
// <~- punctuation.terminator.statement.ts
const c = 'DELETE';
//         ^^^^^^ string.quoted.single.ts - meta.embedded.block.sql
const d = fetch('DELETE /api/patients/1', { method: 'POST' });
//               ^^^^^^ string.quoted.single.ts - meta.embedded.block.sql
//                                                           ^ punctuation.terminator.statement.ts
const e = 'Select a patient';
//         ^^^^^^ string.quoted.single.ts - meta.embedded.block.sql
const f = String.raw`C:\results\${id}`;
//                      ^^^^^^^ string.template.ts - meta.embedded.block.sql
//                                    ^ punctuation.terminator.statement.ts
const g = html`SELECT <b>${x}</b>`;
//             ^^^^^^ string.template.ts - meta.embedded.block.sql
//                                ^ punctuation.terminator.statement.ts
const h = foo.sql`SELECT 1`;
//                ^^^^^^ string.template.ts - meta.embedded.block.sql
//                         ^ punctuation.terminator.statement.ts
const i = cache.get('Update available');
//                   ^^^^^^ string.quoted.single.ts - meta.embedded.block.sql
// SELECT * FROM patients
// ^^^^^^ comment.line.double-slash.ts - meta.embedded.block.sql
/* sql */ function q() {}
//        ^^^^^^^^ storage.type.function.ts - meta.embedded.block.sql
