/** A file-system error as a sentence a user can act on, naming the path and what was being done. */
export function fsProblem(error: unknown, action: string, path: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOENT: 'the folder does not exist',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EROFS: 'the file system is read-only',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is a file, not a directory',
    EEXIST: 'something else already exists at that path',
    ENOSPC: 'no space left on the device',
    EMFILE: 'too many open files',
    ENAMETOOLONG: 'the path is too long',
  };
  // `mkdir -p` meets a file where a folder of the path should be.
  if (code === 'EEXIST' && (error as NodeJS.ErrnoException).syscall === 'mkdir')
    return `cannot ${action} ${path}: a part of the path is a file, not a directory`;
  if (code === 'ENOENT' && action.startsWith('read')) return `cannot ${action} ${path}: no such file`;
  const reason = (code && why[code]) ?? (error instanceof Error ? error.message : String(error));
  return `cannot ${action} ${path}: ${reason}`;
}

/** Whether an error comes from the file system (it has an errno code). */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error &&
    typeof (error as NodeJS.ErrnoException).code === 'string' &&
    typeof (error as NodeJS.ErrnoException).syscall === 'string'
  );
}
