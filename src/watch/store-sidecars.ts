import { basename, dirname } from 'node:path';
import { parseContext, type SidecarReader } from '../ingest/load-context.ts';
import type { Database } from '../store/database.ts';

/** Sidecars for the watcher: read from the store, where they were kept under the inbox path they arrived at. */
export function storeSidecarReader(db: Database): SidecarReader {
  return async (file) => {
    const folder = dirname(file) === '.' ? '' : dirname(file);
    const row = db.prepare('SELECT content FROM context_files WHERE folder = ? AND name = ?').get(folder, basename(file)) as { content: string } | undefined;
    return row ? parseContext(row.content, file) : null;
  };
}
