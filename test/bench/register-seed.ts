/**
 * SQL that adds register entries `from` ≤ n < `to`, each with what an entry stands on: a provider
 * (one per ten entries, in one of ten countries), a service, a verified assessment and the approved
 * decision, one piece of evidence in the manifest, and the `verified` event. Names and summaries are
 * drawn from small word lists, so searches match a few to many entries, as on a real register.
 */
export interface SeedContext {
  codeId: string;
  codeSlug: string;
  codeTitle: string;
  codeVersionId: string;
  monitoringBodyId: string;
  monitoringBodyName: string;
  proposerId: string;
  approverId: string;
}

const ADJECTIVES = ['Aurora', 'Beacon', 'Cobalt', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Indigo', 'Juniper', 'Kestrel', 'Lumen', 'Meridian', 'Nimbus', 'Onyx', 'Polar', 'Quartz', 'Raven', 'Sable', 'Tidal', 'Umber', 'Vertex', 'Willow', 'Xenon', 'Yarrow', 'Zephyr', 'Atlas', 'Boreal', 'Cedar', 'Dune', 'Echo', 'Falcon', 'Garnet', 'Helix', 'Iris', 'Jade', 'Krypton', 'Lotus', 'Maple', 'Nova'];
const NOUNS = ['Safety', 'Trust', 'Shield', 'Guard', 'Sentinel', 'Watch', 'Signal', 'Harbour', 'Lantern', 'Compass', 'Anchor', 'Bridge', 'Citadel', 'Keystone', 'Lighthouse', 'Outpost', 'Rampart', 'Bastion', 'Vigil', 'Haven'];
const SUFFIXES = ['Ltd', 'GmbH', 'BV', 'Oy', 'SAS', 'AB', 'SpA'];
const SERVICES = ['Hash Matcher', 'Grooming Classifier', 'Image Scanner', 'Chat Monitor', 'Video Fingerprinter', 'Stream Guard', 'Report Triage', 'Age Estimator'];
const SUMMARIES = [
  'Perceptual hashing against verified hash lists, with human review of every match before any report.',
  'A classifier for grooming conversations, run on unencrypted messages only, with documented error rates.',
  'Known-image detection limited to content uploaded publicly, with an appeal route for affected users.',
  'Video fingerprinting on upload with quarterly accuracy audits by an independent laboratory.',
  'Live-stream sampling with strict retention limits and no storage of unmatched frames.',
  'Triage of user reports by trained moderators, prioritised by a risk score that is regularly recalibrated.',
  'Age estimation for account creation without retaining biometric templates.',
  'Detection confined to the service’s own storage, with transparency reports every six months.',
  'Matching thresholds set with child-protection organisations and reviewed after every false positive.',
  'Data protection impact assessment published; processing limited to the stated purpose.',
  'Independent oversight board reviews detection policy changes before deployment.',
  'Reports to the competent authority within 24 hours of a confirmed match.',
];
const COUNTRIES = ['DE', 'FR', 'NL', 'GB', 'IE', 'FI', 'SE', 'ES', 'IT', 'PL'];
const STATUSES = ['verified', 'verified', 'verified', 'verified', 'verified', 'verified', 'suspended', 'revoked', 'expired'];

const list = (values: string[]) => `ARRAY[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(', ')}]`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const pick = (values: string[], index: string) => `(${list(values)})[1 + (${index}) % ${values.length}]`;

export function seedStatements(from: number, to: number, context: SeedContext): string[] {
  const range = `generate_series(${from}, ${to - 1}) AS n`;
  const providerName = `${pick(ADJECTIVES, 'p')} || ' ' || ${pick(NOUNS, 'p / 40')} || ' ' || ${pick(SUFFIXES, 'p')}`;
  return [
    `INSERT INTO organizations (kind, slug, name, country)
       SELECT 'provider', 'bench-provider-' || p, ${providerName}, ${pick(COUNTRIES, 'p')}
         FROM generate_series(${Math.floor(from / 10)}, ${Math.floor((to - 1) / 10)}) AS p
       ON CONFLICT (slug) DO NOTHING`,
    `INSERT INTO services (id, organization_id, name)
       SELECT md5('service-' || n)::uuid, o.id, ${pick(SERVICES, 'n')} || ' ' || n
         FROM ${range} JOIN organizations o ON o.slug = 'bench-provider-' || (n / 10)`,
    `INSERT INTO assessments (id, organization_id, service_id, code_version_id, monitoring_body_id, target_level, state, submitted_at)
       SELECT md5('assessment-' || n)::uuid, s.organization_id, s.id, ${literal(context.codeVersionId)}, ${literal(context.monitoringBodyId)}, 2, 'verified', now() - interval '400 days'
         FROM ${range} JOIN services s ON s.id = md5('service-' || n)::uuid`,
    `INSERT INTO decisions (id, organization_id, provider_id, assessment_id, round, outcome, level, valid_until, public_summary, status, proposed_by, proposed_at, reviewed_by, reviewed_at, verification_id, snapshot)
       SELECT md5('decision-' || n)::uuid, ${literal(context.monitoringBodyId)}, a.organization_id, a.id, 1, 'verified', 1 + n % 2, current_date + 30 + n % 700,
              ${pick(SUMMARIES, 'n')}, 'approved', ${literal(context.proposerId)}, now() - (n % 365 + 2) * interval '1 day', ${literal(context.approverId)},
              now() - (n % 365 + 1) * interval '1 day', 'BENCH-' || n, '{}'
         FROM ${range} JOIN assessments a ON a.id = md5('assessment-' || n)::uuid`,
    `INSERT INTO register_entries (id, provider_id, provider_name, provider_country, service_id, service_name, code_id, code_slug, code_title, code_version_id, code_version,
              monitoring_body_id, monitoring_body_name, assessment_id, decision_id, verification_id, status, level, first_verified_at, decided_at, valid_until,
              public_summary, section_summaries, evidence_manifest, evidence_root)
       SELECT md5('entry-' || n)::uuid, o.id, o.name, o.country, s.id, s.name, ${literal(context.codeId)}, ${literal(context.codeSlug)}, ${literal(context.codeTitle)},
              ${literal(context.codeVersionId)}, '1.0.0', ${literal(context.monitoringBodyId)}, ${literal(context.monitoringBodyName)}, d.assessment_id, d.id, d.verification_id,
              ${pick(STATUSES, 'n')}, d.level, d.reviewed_at, d.reviewed_at, d.valid_until, d.public_summary,
              jsonb_build_array(jsonb_build_object('key', 'S01', 'title', 'Section 1', 'publicSummary', ${pick(SUMMARIES, 'n + 5')})),
              jsonb_build_array(jsonb_build_object('sha256', encode(sha256(('evidence-' || n)::bytea), 'hex'), 'revision', 1, 'title', NULL)),
              encode(sha256('\\x00'::bytea || sha256(('evidence-' || n)::bytea)), 'hex')
         FROM ${range}
         JOIN decisions d ON d.id = md5('decision-' || n)::uuid
         JOIN services s ON s.id = md5('service-' || n)::uuid
         JOIN organizations o ON o.id = s.organization_id`,
    `INSERT INTO register_events (entry_id, monitoring_body_id, kind, status, verification_id, occurred_at)
       SELECT md5('entry-' || n)::uuid, ${literal(context.monitoringBodyId)}, 'verified', 'verified', 'BENCH-' || n, now() - (n % 365 + 1) * interval '1 day'
         FROM ${range}`,
  ];
}

/** Words to search for: provider words (1 in 40 entries each), a pair of them (1 in 800), summary words (1 in 6), a service (1 in 8). */
export const SEARCHES = [...ADJECTIVES.slice(0, 20).map((word) => word.toLowerCase()), 'grooming', 'fingerprinting appeal', 'lantern safety', 'hash matcher', 'oversight board', 'quartz keystone'];

/** Each search with each of these filters and orders makes a request of its own, never answered from a memo. */
export const SEARCH_FILTERS = ['', '&level=1', '&level=2', '&status=verified', '&country=DE', '&sort=provider', '&sort=decided', '&country=FR&level=2'];

/** Searches for warming up, none of which is measured. */
export const WARM_UP_SEARCHES = ADJECTIVES.slice(20, 30).map((word) => word.toLowerCase());
