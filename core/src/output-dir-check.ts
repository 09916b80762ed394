import { promises as fs } from 'node:fs';
import path from 'node:path';
import { OptionsError } from './errors.js';
import { fsErrorMeaning, isErrnoError } from './fs-errors.js';

/** Kernel file systems (statfs magic numbers) that hold no files a model could be written to. */
const SPECIAL_FILESYSTEMS: Readonly<Record<number, string>> = {
  0x9fa0: 'proc', 0x62656572: 'sysfs', 0x1cd1: 'devpts', 0x64626720: 'debugfs', 0x74726163: 'tracefs',
  0x27e0eb: 'cgroup', 0x63677270: 'cgroup2', 0x73636673: 'securityfs', 0xcafe4a11: 'bpf', 0x6e736673: 'nsfs',
};

/**
 * Checks the model repository `out` before anything is exported, quickly and without walking it:
 * its nearest existing part must be a writable folder on an ordinary file system. Each refusal is
 * one line naming the path and what is wrong (a file, a special file system, read-only, a link loop).
 */
export async function checkOutputDir(out: string, flag = '--out'): Promise<void> {
  const wanted = path.resolve(out);
  let existing = wanted;
  for (;;) {
    try {
      const stat = await fs.stat(existing);
      if (!stat.isDirectory()) {
        throw new OptionsError(`${flag} "${out}": "${existing}" is ${stat.isFile() ? 'a file' : 'a special file'}, not a folder`);
      }
      break;
    } catch (e) {
      if (e instanceof OptionsError) throw e;
      if (!isErrnoError(e)) throw e;
      if (e.code !== 'ENOENT') throw new OptionsError(`${flag} "${out}": ${fsErrorMeaning(e.code)}`, {}, { cause: e });
      const parent = path.dirname(existing);
      if (parent === existing) return;
      existing = parent;
    }
  }
  const fsType = SPECIAL_FILESYSTEMS[(await fs.statfs(existing)).type];
  if (fsType) throw new OptionsError(`${flag} "${out}": "${existing}" is on the ${fsType} file system, which holds no ordinary files; choose a folder on a disk`);
  try {
    await fs.access(existing, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    const reason = isErrnoError(e) && e.code === 'EROFS' ? 'the file system is read-only' : 'this user may not write there (permission denied)';
    throw new OptionsError(`${flag} "${out}": cannot create the repository in "${existing}": ${reason}`, {}, { cause: e });
  }
}
