import type { DepartmentConfig } from '../config/config-schema.ts';
import type { LetterDocument, LetterKind } from './letter-document.ts';
import type { LetterView } from './letter-view.ts';
import type { Templates } from './load-templates.ts';

/** What both letters share: sender block, date, page labels, draft banner and signature. */
export function letterFrame(
  kind: LetterKind,
  view: LetterView,
  config: DepartmentConfig,
  templates: Templates,
  held: boolean,
): Omit<LetterDocument, 'blocks' | 'subject' | 'title'> {
  const common = (key: string, item?: Record<string, unknown>) => templates.text('common', key, view, item);
  const department = config.department;
  return {
    kind,
    sender: [
      department.hospital,
      department.name,
      ...department.address,
      department.email ? `${department.phone} · ${department.email}` : department.phone,
    ],
    logo: department.logo,
    dateLine: common('dateLine'),
    draftBanner: held ? common('draft') : null,
    watermark: held ? common('watermark') : null,
    pageLabel: (page, pages) => common('page', { page, pages }),
    author: `${department.hospital}, ${department.name}`,
  };
}

export function signatureBlock(view: LetterView, closing: string) {
  return { kind: 'signature' as const, closing, lines: [view.signature.name, view.signature.title, view.department.name] };
}
