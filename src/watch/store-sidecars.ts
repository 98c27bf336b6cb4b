import { basename, dirname } from 'node:path';
import { parseContext, type SidecarReader } from '../ingest/load-context.ts';
import type { StudyStore } from '../store/study-store.ts';

/** Sidecars for the watcher: read from the store, where they were kept under the inbox path they arrived at. */
export function storeSidecarReader(store: StudyStore): SidecarReader {
  return async (file) => {
    const content = await store.context.content({ folder: dirname(file) === '.' ? '' : dirname(file), name: basename(file) });
    return content === null ? null : parseContext(content, file);
  };
}
