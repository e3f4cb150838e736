export interface PendingSetup {
  link: string;
  hours: number;
}

const RULE = '─'.repeat(72);

/**
 * The block a person at a terminal sees last when the service has started: its address and, while no
 * operator account exists, the one-time set-up link, each on a line of its own with nothing after it,
 * so that a terminal can open it. No right-hand border: a long link that wraps does not break the block.
 */
export function startupBanner(address: string, setup: PendingSetup | undefined, color: boolean): string {
  const strong = (text: string) => (color ? `\x1b[1m\x1b[36m${text}\x1b[39m\x1b[22m` : text);
  const lines = ['', RULE, `  Adhere is ready at ${strong(address)}`];
  if (setup) {
    lines.push('', `  No operator account exists yet. Open this link within ${setup.hours} hours to create it:`, `  ${strong(setup.link)}`);
  }
  lines.push(RULE, '');
  return `${lines.join('\n')}\n`;
}
