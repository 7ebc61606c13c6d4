/**
 * Email text rules shared by every place an email comes in (DTOs, CLI, SUPERADMIN_EMAIL), so two
 * strings that look the same to a person are one account or are refused.
 */

/**
 * Trim, NFKC (composes NFD `é`, folds fullwidth `ａ` and compatibility forms to plain letters),
 * lower-case, and NFKC again (lower-casing can decompose, e.g. `İ`).
 */
export function normalizeEmail(value: string): string {
  return value.trim().normalize('NFKC').toLowerCase().normalize('NFKC');
}

/**
 * Characters that show nothing or change nothing visible: format characters (Cf: zero-width
 * space and joiners, soft hyphen, bidi controls, BOM), controls, default-ignorable code points
 * (variation selectors, Hangul fillers, combining grapheme joiner...), white space, private-use,
 * surrogate and unassigned code points.
 */
const INVISIBLE = /[\p{Cf}\p{Cc}\p{Co}\p{Cs}\p{Cn}\p{Default_Ignorable_Code_Point}\p{White_Space}]/u;

/** Scripts told apart; a letter in none of them counts as `Other`. Common/Inherited never count. */
const SCRIPTS: Array<[string, RegExp]> = [
  'Latin',
  'Greek',
  'Cyrillic',
  'Armenian',
  'Hebrew',
  'Arabic',
  'Syriac',
  'Thaana',
  'Devanagari',
  'Bengali',
  'Gurmukhi',
  'Gujarati',
  'Tamil',
  'Telugu',
  'Kannada',
  'Malayalam',
  'Sinhala',
  'Thai',
  'Lao',
  'Tibetan',
  'Myanmar',
  'Georgian',
  'Hangul',
  'Ethiopic',
  'Cherokee',
  'Khmer',
  'Mongolian',
  'Hiragana',
  'Katakana',
  'Bopomofo',
  'Han',
].map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')]);
const NEUTRAL = /[\p{Script=Common}\p{Script=Inherited}]/u;

/**
 * Script mixes a writer of one language uses (UTS #39 "highly restrictive"): Latin with Japanese,
 * Chinese or Korean scripts. Any other mix in one label is refused.
 */
const ALLOWED_MIXES = [
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

function scriptOf(char: string): string | undefined {
  if (NEUTRAL.test(char)) return undefined;
  for (const [name, pattern] of SCRIPTS) if (pattern.test(char)) return name;
  return 'Other';
}

function mixesScripts(label: string): boolean {
  const scripts = new Set<string>();
  for (const char of label) {
    const script = scriptOf(char);
    if (script) scripts.add(script);
  }
  if (scripts.size <= 1) return false;
  return !ALLOWED_MIXES.some((mix) => [...scripts].every((script) => mix.has(script)));
}

/**
 * Why a (normalised) email is refused, or undefined. Mixed scripts are judged per label (the local
 * part, each domain label): a Cyrillic `а` in a Latin address is refused. An address written
 * wholly in another script (all-Cyrillic `аdmin` lookalikes) is not caught; see docs/security.md.
 */
export function emailTextProblem(email: string): string | undefined {
  if (INVISIBLE.test(email)) return 'must not contain invisible, formatting or control characters';
  const at = email.lastIndexOf('@');
  const labels = at < 0 ? [email] : [email.slice(0, at), ...email.slice(at + 1).split('.')];
  if (labels.some(mixesScripts)) return 'must not mix scripts (such as Latin and Cyrillic) in one part';
  return undefined;
}
