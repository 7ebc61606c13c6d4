import { LostWrites } from './lost-writes';

describe('LostWrites', () => {
  it('gives back exactly the lost keys once, then nothing', () => {
    const lost = new LostWrites(3);
    expect(lost.take()).toBeUndefined();
    lost.add('a');
    lost.add('b');
    lost.add('a');
    expect(lost.take()).toEqual({ keys: ['a', 'b'] });
    expect(lost.take()).toBeUndefined();
  });

  it('asks for a full clear past its bound', () => {
    const lost = new LostWrites(2);
    ['a', 'b', 'c', 'd'].forEach((key) => lost.add(key));
    expect(lost.take()).toBe('all');
    expect(lost.take()).toBeUndefined();
  });
});
