import type { DepartmentConfig } from '../config/config-schema.ts';
import type { LetterDocument, LetterKind } from './letter-document.ts';
import type { LetterView } from './letter-view.ts';
import { formatDate } from './format.ts';
import type { Templates } from './load-templates.ts';
import type { SignOff } from './sign-off.ts';

/** What both letters share: sender block, date, reference, page labels, draft banner and signature. */
export function letterFrame(
  kind: LetterKind,
  view: LetterView,
  config: DepartmentConfig,
  templates: Templates,
  held: boolean,
): Omit<LetterDocument, 'blocks' | 'subject' | 'title' | 'addressee'> {
  const common = (key: string, item?: Record<string, unknown>) => templates.text('common', key, view, item);
  const department = config.department;
  return {
    kind,
    sender: [
      view.department.hospital,
      view.department.name,
      ...department.address,
      department.email ? `${department.phone} · ${department.email}` : department.phone,
    ],
    logo: department.logo,
    dateLine: common('dateLine'),
    reference: common('reference'),
    continuation: common('continuation'),
    draftBanner: held ? common('draft') : null,
    watermark: held ? common('watermark') : null,
    pageLabel: (page, pages) => common('page', { page, pages }),
    author: `${view.department.hospital}, ${view.department.name}`,
  };
}

/**
 * The closing, who signs, and one line saying how the letter was released: an approved letter is
 * signed by its approver, any other by the department's responsible radiologist.
 */
export function signatureBlock(view: LetterView, closing: string, signOff: SignOff, templates: Templates) {
  const common = (key: string, item?: Record<string, unknown>) => templates.text('common', key, view, item);
  if (signOff.kind === 'approved') {
    const date = formatDate(signOff.date, templates.list('common', 'months'));
    return { kind: 'signature' as const, closing, lines: [signOff.by, view.department.name, common('signOff.approved', { by: signOff.by, date })] };
  }
  return { kind: 'signature' as const, closing, lines: [view.signature.name, view.signature.title, view.department.name, common(`signOff.${signOff.kind}`)] };
}
