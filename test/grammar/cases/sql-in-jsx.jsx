// SYNTAX TEST "source.js.jsx" "SQL inside JSX, injected once"

const q = sql`SELECT * FROM t WHERE id = ${id}`;
//            ^^^^^^ string.template.js.jsx meta.embedded.block.sql keyword.other.DML.sql
//                                         ^^ meta.embedded.line.js.jsx variable.other.readwrite.js.jsx
//                                            ^ string.template.js.jsx punctuation.definition.string.template.end.js.jsx - string.template.js
const r = db.query('select 1 from t');
//                  ^^^^^^ string.quoted.single.js.jsx meta.embedded.block.sql keyword.other.DML.sql - string.quoted.single.js
const el = <p title="x">{n}</p>;
//          ^ meta.tag.js.jsx entity.name.tag.js.jsx
