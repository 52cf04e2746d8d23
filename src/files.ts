import { randomBytes } from 'node:crypto';
import { chmodSync, linkSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creates `file` with `content` unless it exists, and says whether it did. Nobody can see the
 * file half-written: the content goes to a private temporary name first, and a hard link
 * makes it appear whole (or fails, if another process got there first).
 */
export function createFileAtomically(file: string, content: string, mode = 0o600): boolean {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(temporary, content, { mode });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * Makes the folder `dir` and everything under it its owner's alone: folders 0700, files 0600.
 * For PGlite's data, which it writes with modes of its own (0666 for some files), whatever the
 * process umask says. Symbolic links are left alone: chmod would follow them out of the tree.
 */
export function keepPrivate(dir: string): void {
  chmodSync(dir, 0o700);
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    try {
      chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o700 : 0o600);
    } catch (error) {
      // A temporary file the database removed in the meantime.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
