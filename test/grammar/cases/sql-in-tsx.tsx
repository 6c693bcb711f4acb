// SYNTAX TEST "source.tsx" "SQL inside TSX keeps TSX scopes around it"

const rows = await db.query<Row>(`SELECT id FROM t WHERE x = ${f(<b>1</b>)}`);
//                                ^^^^^^ string.template.tsx meta.embedded.block.sql keyword.other.DML.sql
//                                                           ^^ meta.embedded.block.sql meta.template.expression.tsx punctuation.definition.template-expression.begin.tsx
//                                                                ^ meta.embedded.line.tsx meta.tag.without-attributes.tsx entity.name.tag.tsx
//                                                                           ^ punctuation.terminator.statement.tsx
const q = sql`SELECT ${a}`;
//        ^^^ entity.name.function.tagged-template.tsx
//            ^^^^^^ meta.embedded.block.sql keyword.other.DML.sql
//                     ^ meta.embedded.line.tsx variable.other.readwrite.tsx
const el = <ul>{items.map((i) => <Li key={i} />)}</ul>;
//                                ^^ meta.tag.tsx entity.name.tag.tsx support.class.component.tsx
//                                                    ^ punctuation.terminator.statement.tsx
const n = `Hello ${name}`;
//         ^^^^^ string.template.tsx - meta.embedded.block.sql
