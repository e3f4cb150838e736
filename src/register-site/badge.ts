import type { RegisterStatus } from '../register/entities/register-entry.entity';

/** Badge colours, dark enough for white text (WCAG contrast at least 4.5:1). */
const COLOURS: Record<RegisterStatus | 'unknown', string> = {
  verified: '#15803d',
  suspended: '#b45309',
  revoked: '#b91c1c',
  expired: '#4b5563',
  unknown: '#4b5563',
};

const LABEL = 'Adhere register';
const CHARACTER_WIDTH = 6.5;
const PADDING = 10;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** A small SVG badge: "Adhere register | verified · level 2", coloured by status. */
export function badgeSvg(status: RegisterStatus | 'unknown', detail: string): string {
  const value = detail ? `${status === 'unknown' ? 'not registered' : status} · ${detail}` : status === 'unknown' ? 'not registered' : status;
  const left = Math.round(LABEL.length * CHARACTER_WIDTH + PADDING * 2);
  const right = Math.round(value.length * CHARACTER_WIDTH + PADDING * 2);
  const width = left + right;
  const text = escapeXml(`${LABEL}: ${value}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="20" role="img" aria-label="${text}">
<title>${text}</title>
<rect width="${left}" height="20" fill="#1f2937"/>
<rect x="${left}" width="${right}" height="20" fill="${COLOURS[status]}"/>
<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">
<text x="${left / 2}" y="14">${escapeXml(LABEL)}</text>
<text x="${left + right / 2}" y="14">${escapeXml(value)}</text>
</g>
</svg>
`;
}
