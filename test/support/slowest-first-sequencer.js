const Sequencer = require('@jest/test-sequencer').default;

/**
 * The files that take longest, slowest first (measured on two cores, embedded database). Jest orders a
 * first run by file size, which puts some of these late, and then two workers do not end together:
 * one runs a minute-long file alone at the end. After a run, Jest knows each file's time and orders by
 * it; these stay first all the same. The browser suites start early because Chromium's start is slow.
 */
const SLOWEST = [
  'journey-browser',
  'input-fuzz',
  'isolation-matrix',
  'verification-after',
  'verification-rules',
  'assessments',
  'complaints',
  'attestations',
  'register-browser',
  'organizations',
];

function rank(test) {
  const index = SLOWEST.findIndex((name) => test.path.endsWith(`/test/${name}.e2e-spec.ts`));
  return index < 0 ? SLOWEST.length : index;
}

class SlowestFirstSequencer extends Sequencer {
  sort(tests) {
    return super.sort(tests).sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowestFirstSequencer;
