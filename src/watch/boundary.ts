import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A move or write that would reach outside the folders the service owns. */
export class BoundaryError extends Error {
  override readonly name = 'BoundaryError';
}

/**
 * Throws unless `path` lies inside `root` once every symbolic link on the way is resolved. A path
 * that does not exist yet is judged by its nearest existing folder; a link at `path` itself by
 * where it points.
 */
export async function assertInside(path: string, root: string): Promise<void> {
  const [real, realRoot] = await Promise.all([realExisting(path), realpath(root)]);
  if (!isInside(real, realRoot)) throw new BoundaryError(`${path} is outside ${root} (it resolves to ${real}); nothing outside is moved, written or removed`);
}

export function isInside(path: string, folder: string): boolean {
  const rest = relative(folder, path);
  return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
}

async function realExisting(path: string): Promise<string> {
  const missing: string[] = [];
  for (let probe = resolve(path); ; probe = dirname(probe)) {
    try {
      return join(await realpath(probe), ...missing.reverse());
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(probe) === probe) throw error;
      missing.push(basename(probe));
    }
  }
}
