-- SYNTAX TEST "source.sql" "Suppression comments in SQL"

-- gdpr-lint-disable-next-line plaintext-health-data -- encrypted by the storage layer
-- ^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql meta.directive.suppression.gdpr-lint keyword.control.directive.gdpr-lint
--                             ^^^^^^^^^^^^^^^^^^^^^ entity.name.tag.rule.gdpr-lint
--                                                   ^^ punctuation.separator.justification.gdpr-lint
--                                                      ^^^^^^^^^ string.unquoted.justification.gdpr-lint
CREATE TABLE t (diagnosis text); /* gdpr-lint-disable-line plaintext-health-data */
-- <------ keyword.other.create.sql - meta.directive.suppression.gdpr-lint
--                                  ^^^^^^^^^^^^^^^^^^^^^^ comment.block keyword.control.directive.gdpr-lint
--                                                         ^^^^^^^^^^^^^^^^^^^^^ entity.name.tag.rule.gdpr-lint
