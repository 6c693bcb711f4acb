/**
 * Check-digit and layout rules of national health identifiers (domain.md §4). Inputs are
 * compact: separators removed, letters upper-cased.
 */

export type IdentifierScheme = 'nir' | 'nia' | 'nir-13' | 'nnp' | 'nhs' | 'be-niss' | 'at-svnr' | 'us-ssn' | 'vn-cccd';

/** Every scheme, strongest first. US SSNs are in the list but off by default (the rule's `schemes` parameter). */
export const ALL_SCHEMES: readonly IdentifierScheme[] = [
  'nir',
  'nia',
  'nir-13',
  'nnp',
  'nhs',
  'be-niss',
  'at-svnr',
  'vn-cccd',
  'us-ssn',
];

/** Human names for messages. */
export const SCHEME_LABELS: Record<IdentifierScheme, string> = {
  nir: 'French NIR/INS',
  nia: 'French temporary NIA',
  'nir-13': 'French NIR without key',
  nnp: 'French temporary NNP',
  nhs: 'UK NHS number',
  'be-niss': 'Belgian NISS',
  'at-svnr': 'Austrian SVNR',
  'us-ssn': 'US SSN',
  'vn-cccd': 'Vietnamese personal identification number (CCCD)',
};

/** `N mod m` for a decimal string of any length. */
function modOf(digits: string, m: number): number {
  let r = 0;
  for (const ch of digits) r = (r * 10 + (ch.charCodeAt(0) - 48)) % m;
  return r;
}

/**
 * Month rule of the NIR: 01-12 for a known month; INSEE uses 20 and above for incomplete or
 * fictitious civil status (20-42, 50+). 00 and 13-19 are never assigned, so a key that happens
 * to match on such a month is a synthetic value.
 */
function nirMonthAssigned(month: string): boolean {
  const m = Number(month);
  return (m >= 1 && m <= 12) || m >= 20;
}

const NIR_LAYOUT = /^([1278])(\d{2})(\d{2})(\d{2}|2[AB])(\d{3})(\d{3})(\d{2})?$/;

/** The 13 characters the NIR key is computed on, with Corsica 2A -> 19 and 2B -> 18. */
function nirNumberPart(compact: string): string {
  const dept = compact.slice(5, 7);
  const replaced = dept === '2A' ? '19' : dept === '2B' ? '18' : dept;
  return compact.slice(0, 5) + replaced + compact.slice(7, 13);
}

export function nirKey(first13: string): number {
  return 97 - modOf(nirNumberPart(first13), 97);
}

/** A 15-character NIR (sex 1/2) or NIA (7/8) whose key matches. */
export function validNir(compact: string): 'nir' | 'nia' | undefined {
  const m = NIR_LAYOUT.exec(compact);
  if (!m || m[7] === undefined || !nirMonthAssigned(m[3]!)) return undefined;
  if (Number(m[7]) !== nirKey(compact.slice(0, 13))) return undefined;
  return m[1] === '7' || m[1] === '8' ? 'nia' : 'nir';
}

/** The 13-character form of a NIR (no key): only a layout, no check. */
function nir13Layout(compact: string): boolean {
  const m = NIR_LAYOUT.exec(compact);
  return Boolean(m && m[7] === undefined && (m[1] === '1' || m[1] === '2') && nirMonthAssigned(m[3]!));
}

/** NNP: 7/8 (sex), 1/2 (creation / fictitious), then 11 digits; no check digit. */
function nnpLayout(compact: string): boolean {
  return /^[78][12]\d{11}$/.test(compact);
}

/** UK NHS number: weights 10..2 on the first 9 digits, 11 - (sum mod 11), 11 -> 0, 10 invalid. */
export function validNhs(compact: string): boolean {
  if (!/^\d{10}$/.test(compact) || /^(\d)\1+$/.test(compact)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (compact.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  return check !== 10 && check === compact.charCodeAt(9) - 48;
}

/**
 * Values a scheme's issuer keeps for testing, never given to a person: the NHS numbers of the
 * 999 range (999 000 0000 to 999 999 9999). The NIR's unassigned months are rejected by its layout.
 */
export function reservedForTesting(scheme: IdentifierScheme, compact: string): boolean {
  return scheme === 'nhs' && compact.startsWith('999');
}

/** Belgian NISS: YYMMDD + serial + 97 - (first 9 mod 97), with a "2" prefix for births from 2000. */
export function validNiss(compact: string): boolean {
  if (!/^\d{11}$/.test(compact)) return false;
  const month = Number(compact.slice(2, 4)) % 20;
  const day = Number(compact.slice(4, 6));
  if (month > 12 || day > 31) return false;
  const check = Number(compact.slice(9));
  const first9 = compact.slice(0, 9);
  return check === 97 - modOf(first9, 97) || check === 97 - modOf(`2${first9}`, 97);
}

/** Austrian SVNR: weights 3,7,9,0,5,8,4,2,1,6, sum mod 11 is the 4th digit; then DDMMYY. */
export function validSvnr(compact: string): boolean {
  if (!/^[1-9]\d{9}$/.test(compact)) return false;
  const weights = [3, 7, 9, 0, 5, 8, 4, 2, 1, 6];
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += (compact.charCodeAt(i) - 48) * weights[i]!;
  const day = Number(compact.slice(4, 6));
  const month = Number(compact.slice(6, 8));
  return sum % 11 === compact.charCodeAt(3) - 48 && day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

/** US SSN: no check digit; area 000, 666 and 9xx, group 00 and serial 0000 are never issued. */
export function validSsn(compact: string): boolean {
  if (!/^\d{9}$/.test(compact)) return false;
  const area = compact.slice(0, 3);
  return (
    area !== '000' && area !== '666' && area[0] !== '9' && compact.slice(3, 5) !== '00' && compact.slice(5) !== '0000'
  );
}

/**
 * Province codes of the Vietnamese personal identification number (số định danh cá nhân, the
 * CCCD card number): Circular 07/2016/TT-BCA, annex 1 (63 provinces, 001-096 with gaps).
 */
const VN_PROVINCES = new Set([
  '001',
  '002',
  '004',
  '006',
  '008',
  '010',
  '011',
  '012',
  '014',
  '015',
  '017',
  '019',
  '020',
  '022',
  '024',
  '025',
  '026',
  '027',
  '030',
  '031',
  '033',
  '034',
  '035',
  '036',
  '037',
  '038',
  '040',
  '042',
  '044',
  '045',
  '046',
  '048',
  '049',
  '051',
  '052',
  '054',
  '056',
  '058',
  '060',
  '062',
  '064',
  '066',
  '067',
  '068',
  '070',
  '072',
  '074',
  '075',
  '077',
  '079',
  '080',
  '082',
  '083',
  '084',
  '086',
  '087',
  '089',
  '091',
  '092',
  '093',
  '094',
  '095',
  '096',
]);

/**
 * Vietnamese personal identification number (12 digits, no check digit): province of birth
 * registration, a century-and-sex digit (0/1 born 1900-1999, 2/3 born 2000-2099; the later
 * centuries are not issued yet), two digits of the birth year, six random digits. Since the 2024
 * law on social insurance it is also the person's social-insurance (and health-insurance) number.
 */
export function vnPersonalIdLayout(compact: string): boolean {
  return /^\d{3}[0-3]\d{8}$/.test(compact) && VN_PROVINCES.has(compact.slice(0, 3));
}

/** Every scheme a compact candidate satisfies, strongest first. */
export function schemesOf(compact: string): IdentifierScheme[] {
  const out: IdentifierScheme[] = [];
  switch (compact.length) {
    case 15: {
      const nir = validNir(compact);
      if (nir) out.push(nir);
      break;
    }
    case 13:
      if (nir13Layout(compact)) out.push('nir-13');
      if (nnpLayout(compact)) out.push('nnp');
      break;
    case 12:
      if (vnPersonalIdLayout(compact)) out.push('vn-cccd');
      break;
    case 11:
      if (validNiss(compact)) out.push('be-niss');
      break;
    case 10:
      if (validNhs(compact)) out.push('nhs');
      if (validSvnr(compact)) out.push('at-svnr');
      break;
    case 9:
      if (validSsn(compact)) out.push('us-ssn');
      break;
  }
  return out;
}
