/** What each file system error code means to someone choosing a path. */
const MEANINGS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  ELOOP: 'too many symbolic links (a link loop)',
  ENAMETOOLONG: 'the path is too long',
  ENOENT: 'no such file or folder',
  EEXIST: 'it exists already',
  EMFILE: 'too many open files',
  EIO: 'input/output error from the device',
  EBUSY: 'the resource is busy',
  EXDEV: 'it is on another device (cannot rename across file systems)',
};

export interface ErrnoLike {
  readonly code: string;
  readonly path?: string;
  readonly syscall?: string;
}

export function isErrnoError(e: unknown): e is Error & ErrnoLike {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && /^E[A-Z]+$/.test(code);
}

/** What an errno code means, in words. */
export function fsErrorMeaning(code: string): string {
  return MEANINGS[code] ?? `${code.toLowerCase()} error`;
}

/** One line for a file system error: the path and what is wrong, without Node's errno wording. */
export function describeFsError(e: ErrnoLike, what = 'path'): string {
  const meaning = fsErrorMeaning(e.code);
  const action = e.syscall ? ` (while ${e.syscall === 'mkdir' ? 'creating a folder' : e.syscall === 'open' ? 'opening a file' : e.syscall === 'write' ? 'writing' : e.syscall})` : '';
  return `${what} "${e.path ?? '?'}": ${meaning}${action}`;
}

