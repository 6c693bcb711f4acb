import type { SqlDialect } from './types.js';

const TSQL =
  /^\s*GO\s*$|\[[A-Za-z_][\w ]*\]|\bNVARCHAR\b|\bDATETIME2\b|\bIDENTITY\s*\(|@@\w|\bTOP\s*\(?\s*\d|\bEXEC(?:UTE)?\s+(?:sp_|xp_)|\bFOR\s+(?:JSON|XML)\b|\bENCRYPTED\s+WITH\b|\bdbo\.|\bSYSUTCDATETIME\b|\bUNIQUEIDENTIFIER\b/im;
const MYSQL =
  /`|\bENGINE\s*=|\bAUTO_INCREMENT\b|\bUNSIGNED\b|\bINTO\s+(?:OUTFILE|DUMPFILE)\b|\bCHARSET\b|\bENCRYPTION\s*=\s*'|\bAES_ENCRYPT\s*\(|\bON\s+DUPLICATE\s+KEY\b|^\s*DELIMITER\s/im;
const SQLITE =
  /\bAUTOINCREMENT\b|\bINTEGER\s+PRIMARY\s+KEY\b|^\s*PRAGMA\b|\bWITHOUT\s+ROWID\b|^\s*\.(?:output|once|mode|headers)\b|\?\d/im;

/**
 * Guesses the dialect of a SQL text from the marks each one leaves (T-SQL brackets, GO, TOP,
 * NVARCHAR; MySQL backticks, ENGINE=, AUTO_INCREMENT; SQLite AUTOINCREMENT, INTEGER PRIMARY
 * KEY); anything else is taken as PostgreSQL.
 */
export function guessDialect(text: string, fallback: SqlDialect = 'postgresql'): SqlDialect {
  // Comments are prose (French `n'est` is not an N'' string): judge the code only.
  text = text.replace(/--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)/g, ' ');
  if (TSQL.test(text) || /(?:^|[\s(,=])N'/.test(text)) return 'transactsql';
  if (MYSQL.test(text)) return 'mysql';
  if (SQLITE.test(text)) return 'sqlite';
  return fallback;
}
