export const COMPLAINT_CATEGORIES = ['inaccurate_information', 'non_compliance', 'misleading_use', 'privacy_concern', 'child_safety_concern', 'other'] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** How each category reads on the form and wherever a complaint is shown. */
export const CATEGORY_LABELS: Record<ComplaintCategory, string> = {
  inaccurate_information: 'The register shows inaccurate information',
  non_compliance: 'The service does not keep to the code',
  misleading_use: 'The verification is claimed or used in a misleading way',
  privacy_concern: 'A privacy or data protection concern',
  child_safety_concern: 'A child safety concern',
  other: 'Something else',
};

export function categoryLabel(category: string): string {
  return CATEGORY_LABELS[category as ComplaintCategory] ?? category;
}
