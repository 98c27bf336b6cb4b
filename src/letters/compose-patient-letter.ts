import type { DepartmentConfig } from '../config/config-schema.ts';
import type { AssessedStudy } from '../model/assessed-study.ts';
import { patientAddressee } from './addressee.ts';
import { letterFrame, signatureBlock } from './compose-letter-frame.ts';
import type { SignOff } from './sign-off.ts';
import type { Block, LetterDocument } from './letter-document.ts';
import { studyAdvice, type LetterView } from './letter-view.ts';
import type { Templates } from './load-templates.ts';
import { scaleBlock } from './pictures/picture-blocks.ts';

/**
 * The letter to the patient, in plain language (clinical-rules §9): what was measured, the result in
 * one sentence, whether a wervelbreuk was seen, what happens next, what to do, whom to call.
 * No table of numbers in the body; the optional appendix explains the score simply.
 * The scanner's FRAX is not shown here: it is a calculation we did not review, percentages with
 * and without a prior fracture need explaining, and the GP weighs them with the patient (GP letter).
 */
export function composePatientLetter(study: AssessedStudy, view: LetterView, config: DepartmentConfig, templates: Templates, signOff: SignOff): LetterDocument {
  const held = signOff.kind === 'draft';
  const t = (key: string) => templates.text('patient', key, view);
  const c = study.classification;
  const advice = studyAdvice(study);
  // never "nog geen botontkalking" or "stevig genoeg" when a fracture counts or treatment is advised
  const result = advice.fragile && (c.category === 'normal' || c.category === 'osteopenia') ? `result.${c.category}WithFracture` : `result.${c.category ?? 'none'}`;
  const blocks: Block[] = [
    { kind: 'paragraph', text: t('salutation') },
    { kind: 'paragraph', text: t('intro') },
    { kind: 'heading', text: t('result.heading') },
    { kind: 'paragraph', text: t(result), bold: true },
  ];
  if (config.letters.pictures.scale.patient) blocks.push(...scaleBlock(c, templates, 'patient'));

  if (c.vertebrae.length > 0) {
    const fractures = c.vertebralFractures.length;
    // when some vertebrae could not be assessed, the letter says so rather than "no fracture"
    const partly = c.vertebrae.some((v) => !v.evaluable);
    const sentences = fractures === 0 ? [t(partly ? 'vfa.noFracturePartly' : 'vfa.noFracture')] : [t(fractures === 1 ? 'vfa.fracture' : 'vfa.fractures'), ...(partly ? [t('vfa.partly')] : [])];
    blocks.push({ kind: 'heading', text: t('vfa.heading') }, { kind: 'paragraph', text: sentences.join(' ') });
    if (fractures > 0) blocks.push({ kind: 'paragraph', text: t('vfa.explanation') });
  }

  const next = [t('next.gp'), ...advice.next.map((id) => t(`next.${id}`))];
  next.push(t(view.followUp.years ? 'next.followUp' : 'next.followUpNone'));
  blocks.push({ kind: 'heading', text: t('next.heading') }, { kind: 'paragraph', text: next.join(' ') });

  blocks.push(
    { kind: 'heading', text: t('lifestyle.heading') },
    { kind: 'paragraph', text: t('lifestyle.intro') },
    { kind: 'bullets', items: advice.patient.map((id) => t(`lifestyle.${id}`)) },
    { kind: 'paragraph', text: t('contact') },
    signatureBlock(view, t('closing'), signOff, templates),
  );

  if (config.letters.patientAppendix && c.indexScore !== null) {
    blocks.push({ kind: 'heading', text: t('appendix.heading') }, { kind: 'paragraph', text: t(c.path === 'T' ? 'appendix.tScore' : 'appendix.zScore') });
  }
  return { ...letterFrame('patient', view, config, templates, held), addressee: patientAddressee(study, view, templates), title: t('title'), subject: t('subject'), blocks };
}
