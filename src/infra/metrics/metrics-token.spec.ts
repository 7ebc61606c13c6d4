import { metricsTokenMatches } from './metrics-token';

describe('metricsTokenMatches', () => {
  const token = 'tok_0123456789abcdef';

  it('accepts exactly `Bearer <METRICS_TOKEN>` (scheme case-insensitive)', () => {
    expect(metricsTokenMatches(`Bearer ${token}`, token)).toBe(true);
    expect(metricsTokenMatches(`bearer ${token}`, token)).toBe(true);
  });

  it('refuses a missing, empty, other-scheme, prefix, suffix or different token', () => {
    for (const header of [
      undefined,
      '',
      'Bearer ',
      token,
      `Basic ${token}`,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token}x`,
      `Bearer ${token} extra`,
    ]) {
      expect(metricsTokenMatches(header, token)).toBe(false);
    }
  });
});
