// SYNTAX TEST "source.ts" "Suppression comments in TypeScript"

// gdpr-lint-disable-next-line plaintext-health-data, select-star-export -- export for the lab's own archive
// ^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-slash.ts meta.directive.suppression.gdpr-lint keyword.control.directive.gdpr-lint
//                             ^^^^^^^^^^^^^^^^^^^^^ meta.directive.suppression.gdpr-lint entity.name.tag.rule.gdpr-lint
//                                                  ^ punctuation.separator.comma.gdpr-lint
//                                                    ^^^^^^^^^^^^^^^^^^ meta.directive.suppression.gdpr-lint entity.name.tag.rule.gdpr-lint
//                                                                       ^^ punctuation.separator.justification.gdpr-lint
//                                                                          ^^^^^^ comment.line.double-slash.ts meta.directive.suppression.gdpr-lint string.unquoted.justification.gdpr-lint - entity.name.tag.rule.gdpr-lint
const x = 1; // gdpr-lint-disable-line health-data-in-logs until=2026-06-30 basis="Art. 9(2)(h)" -- pseudonymised
//              ^^^^^^^^^^^^^^^^^^^^^^ keyword.control.directive.gdpr-lint
//                                     ^^^^^^^^^^^^^^^^^^^ entity.name.tag.rule.gdpr-lint
//                                                         ^^^^^ variable.parameter.until.gdpr-lint
//                                                              ^ keyword.operator.assignment.gdpr-lint
//                                                               ^^^^^^^^^^ constant.other.date.gdpr-lint
//                                                                          ^^^^^ variable.parameter.basis.gdpr-lint
//                                                                                ^^^^^ string.quoted.double.basis.gdpr-lint
//                                                                                                  ^^^^^^^^^^^^^ string.unquoted.justification.gdpr-lint
/* gdpr-lint-disable unauthenticated-route until=soon */
// ^^^^^^^^^^^^^^^^^ keyword.control.directive.gdpr-lint
//                   ^^^^^^^^^^^^^^^^^^^^^ entity.name.tag.rule.gdpr-lint
//                                               ^^^^ invalid.illegal.date.gdpr-lint
//                                                    ^^ comment.block.ts punctuation.definition.comment.ts - meta.directive.suppression.gdpr-lint
/* gdpr-lint-enable */
// ^^^^^^^^^^^^^^^^ comment.block.ts keyword.control.directive.gdpr-lint
const q = sql`
  SELECT * FROM results -- gdpr-lint-disable-line select-star-export -- one-off migration
//                         ^^^^^^^^^^^^^^^^^^^^^^ meta.embedded.block.sql comment.line.double-dash.sql keyword.control.directive.gdpr-lint
//                                                ^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql entity.name.tag.rule.gdpr-lint
//                                                                      ^^^^^^^ comment.line.double-dash.sql string.unquoted.justification.gdpr-lint
`;
const s = 'gdpr-lint-disable-line x -- not a comment';
//         ^^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.ts - keyword.control.directive.gdpr-lint
// a gdpr-lint-disabled flag is not a directive
//   ^^^^^^^^^^^^^^^^^^ comment.line.double-slash.ts - keyword.control.directive.gdpr-lint
