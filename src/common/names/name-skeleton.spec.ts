import { confusableSkeleton, nameSkeleton } from './name-skeleton';

describe('confusable skeletons (UTS #39)', () => {
  it('maps letters of other scripts and styles to the ones they look like', () => {
    expect(confusableSkeleton('\u0410\u0441me')).toBe(confusableSkeleton('Acme'));
    expect(confusableSkeleton('\uD835\uDC00\uD835\uDC1C\uD835\uDC26\uD835\uDC1E')).toBe(confusableSkeleton('Acme'));
    expect(confusableSkeleton('\u0440ay\u0440al')).toBe(confusableSkeleton('paypal'));
  });

  it('reads composed and decomposed accents alike, and drops default-ignorable characters', () => {
    expect(confusableSkeleton('Caf\u00E9')).toBe(confusableSkeleton('Cafe\u0301'));
    expect(confusableSkeleton('Ac\u200Bme\u2060')).toBe(confusableSkeleton('Acme'));
  });

  it('keeps apart what looks different', () => {
    expect(confusableSkeleton('Acme')).not.toBe(confusableSkeleton('Acne'));
    expect(confusableSkeleton('Caf\u00E9')).not.toBe(confusableSkeleton('Cafe'));
  });
});

describe('name skeletons', () => {
  it.each([
    ['Acme', 'ACME'],
    ['Acme', '\u0410\u0441me'],
    ['Acme', '\u0410\u0421\u041C\u0415'],
    ['Acme', 'Acrne'],
    ['IBM', 'ibm'],
    ['IBM', 'lBM'],
    ['Foo Ltd', 'F00 LTD'],
    ['Acme Ltd', 'Acme \u00A0 Ltd'],
    ['Acme Ltd', 'Acme\u2003Ltd'],
    ['Acme', '\uFF21\uFF43\uFF4D\uFF45'],
    ['Profile Ltd', 'Pro\uFB01le Ltd'],
  ])('gives %j and %j the same skeleton', (a, b) => {
    expect(nameSkeleton(b)).toBe(nameSkeleton(a));
  });

  it.each([
    ['Acme', 'Acne'],
    ['Acme Ltd', 'Acme Inc'],
    ['Acme', 'Acmé'],
    ['Guardian Scan Ltd', 'Guardian Scan GmbH'],
  ])('gives %j and %j different skeletons', (a, b) => {
    expect(nameSkeleton(b)).not.toBe(nameSkeleton(a));
  });
});
