import { slugify } from './slug';

describe('slugify', () => {
  it.each([
    ['Example Organization', 'example-organization'],
    ['  Ünïcödé   Co. ', 'unicode-co'],
    ['---', ''],
    ['A'.repeat(80), 'a'.repeat(63)],
    [`${'ab-'.repeat(21)}c`, `${'ab-'.repeat(20)}ab`],
  ])('%j -> %j', (input, expected) => {
    expect(slugify(input)).toBe(expected);
  });
});
