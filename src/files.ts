import { randomBytes } from 'node:crypto';
import { linkSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Creates `file` with `content` unless it exists, and says whether it did. Nobody can see the
 * file half-written: the content goes to a private temporary name first, and a hard link
 * makes it appear whole (or fails, if another process got there first).
 */
export function createFileAtomically(file: string, content: string, mode = 0o644): boolean {
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
