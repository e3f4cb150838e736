import { startupBanner } from './startup-banner';

describe('the start-up banner', () => {
  const setup = { link: 'http://localhost:3000/setup/abcDEF123_-', hours: 24 };

  it('gives the address and the set-up link each on a line of its own, between two rules', () => {
    const lines = startupBanner('http://localhost:3000', setup, false).split('\n');
    const rules = lines.map((line, index) => (/^─{20,}$/.test(line) ? index : -1)).filter((index) => index >= 0);
    expect(rules).toHaveLength(2);
    const inside = lines.slice(rules[0] + 1, rules[1]);
    expect(inside).toContain('  Adhere is ready at http://localhost:3000');
    expect(inside).toContain('  No operator account exists yet. Open this link within 24 hours to create it:');
    expect(inside).toContain('  http://localhost:3000/setup/abcDEF123_-');
  });

  it('has no set-up part once an operator exists', () => {
    const banner = startupBanner('http://localhost:3000', undefined, false);
    expect(banner).toContain('Adhere is ready at http://localhost:3000');
    expect(banner).not.toContain('setup');
    expect(banner).not.toContain('operator');
  });

  it('makes the address and the link bold where colours are wanted, and nothing else', () => {
    const coloured = startupBanner('http://localhost:3000', setup, true);
    // eslint-disable-next-line no-control-regex
    const bold = [...coloured.matchAll(/\x1b\[1m(?:\x1b\[\d+m)*(.*?)\x1b\[/g)].map((match) => match[1]);
    expect(bold).toEqual(['http://localhost:3000', setup.link]);
    // eslint-disable-next-line no-control-regex
    expect(startupBanner('http://localhost:3000', setup, false)).not.toMatch(/\x1b/);
  });
});
