/**
 * Words lexed as keywords. Deliberately close to the reserved words: non-reserved words that
 * are common column names (`name`, `type`, `value`, `date`, `status`, `key`, `comment`) stay
 * identifiers, so the schema collector and the projection analysis see them as names.
 */
export const SQL_KEYWORDS = new Set([
  'ADD', 'ALL', 'ALTER', 'AND', 'ANY', 'AS', 'ASC', 'BEGIN', 'BETWEEN', 'BY', 'CASE', 'CAST', 'CHECK',
  'COLUMN', 'CONSTRAINT', 'COPY', 'CREATE', 'CROSS', 'DATABASE', 'DEFAULT', 'DELETE', 'DESC', 'DISTINCT',
  'DROP', 'DUMPFILE', 'ELSE', 'END', 'EXCEPT', 'EXEC', 'EXECUTE', 'EXISTS', 'FETCH', 'FOR', 'FOREIGN',
  'FROM', 'FULL', 'FUNCTION', 'GO', 'GRANT', 'GROUP', 'HAVING', 'IF', 'IN', 'INDEX', 'INNER', 'INSERT',
  'INTERSECT', 'INTO', 'IS', 'JOIN', 'LATERAL', 'LEFT', 'LIKE', 'LIMIT', 'MATERIALIZED', 'MERGE', 'MINUS',
  'NATURAL', 'NOT', 'NULL', 'OFFSET', 'ON', 'ONLY', 'OR', 'ORDER', 'OUTER', 'OUTFILE', 'OVER', 'PRIMARY',
  'PROCEDURE', 'QUALIFY', 'RECURSIVE', 'REFERENCES', 'REPLACE', 'RETURNING', 'RIGHT', 'SELECT', 'SET',
  'SOME', 'TABLE', 'TEMP', 'TEMPORARY', 'THEN', 'TO', 'TOP', 'TRIGGER', 'TRUNCATE', 'UNION', 'UNIQUE',
  'UNLOGGED', 'UPDATE', 'USING', 'VALUES', 'VIEW', 'WHEN', 'WHERE', 'WINDOW', 'WITH', 'EXPLAIN', 'APPLY',
  'STRAIGHT_JOIN', 'IGNORE', 'OR', 'DO', 'RETURN', 'DECLARE', 'WHILE', 'PRAGMA', 'ANALYZE',
]);
