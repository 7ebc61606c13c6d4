import { emailTextProblem, normalizeEmail } from './email-text';

describe('normalizeEmail', () => {
  it('composes, folds compatibility forms and lower-cases', () => {
    expect(normalizeEmail(' Cafe\u0301@Example.COM ')).toBe('caf\u00e9@example.com');
    expect(normalizeEmail('\uff21\uff44\uff4d\uff49\uff4e@example.com')).toBe('admin@example.com');
    expect(normalizeEmail('\u2139nfo@example.com')).toBe('info@example.com'); // ℹ (compatibility i)
  });
});

describe('emailTextProblem', () => {
  it.each([
    ['zero-width space', '\u200b'],
    ['zero-width joiner', '\u200d'],
    ['word joiner', '\u2060'],
    ['soft hyphen', '\u00ad'],
    ['right-to-left override', '\u202e'],
    ['byte order mark', '\ufeff'],
    ['Hangul filler', '\u3164'],
    ['combining grapheme joiner', '\u034f'],
    ['variation selector', '\ufe0f'],
    ['no-break space', '\u00a0'],
    ['tab', '\t'],
    ['private use', '\ue000'],
  ])('refuses a %s', (_name, char) => {
    expect(emailTextProblem(`ad${char}min@example.com`)).toBe(
      'must not contain invisible, formatting or control characters',
    );
  });

  it('refuses a letter of another script inside a Latin local part or domain label', () => {
    const mixed = 'must not mix scripts (such as Latin and Cyrillic) in one part';
    expect(emailTextProblem('\u0430dmin@example.com')).toBe(mixed); // Cyrillic а
    expect(emailTextProblem('admin@ex\u0430mple.com')).toBe(mixed);
    expect(emailTextProblem('\u03bfscar@example.com')).toBe(mixed); // Greek ο
  });

  it('accepts one script per part, digits and punctuation, and Latin with Japanese, Chinese or Korean', () => {
    for (const email of [
      'ada.lovelace+tag_1@example.com',
      'caf\u00e9@example.com',
      '\u0436\u0435\u043d\u044f@\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444', // all Cyrillic
      'yamada\u5c71\u7530\u305f\u306a\u304b@example.jp',
      'kim\uae40@example.kr',
    ]) {
      expect({ email, problem: emailTextProblem(email) }).toEqual({ email, problem: undefined });
    }
  });
});
