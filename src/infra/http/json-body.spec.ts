import { exceedsJsonDepth } from './json-body';

const depth = (text: string, max: number) => exceedsJsonDepth(Buffer.from(text), max);

describe('exceedsJsonDepth', () => {
  it('counts objects and arrays opened inside one another', () => {
    expect(depth('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(depth('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(depth('[[],[],[],[]]', 2)).toBe(false); // siblings do not add up
  });

  it('ignores brackets inside strings, escaped quotes and backslashes included', () => {
    expect(depth('{"a":"[[[[{{{{"}', 1)).toBe(false);
    expect(depth('{"a":"\\"[[[["}', 1)).toBe(false);
    expect(depth('{"a":"\\\\","b":[[1]]}', 2)).toBe(true); // the string ends after an escaped backslash
  });

  it('reads multi-byte UTF-8 text without confusing it with brackets', () => {
    expect(depth('{"é[":"日本[[[["}', 1)).toBe(false);
  });
});
