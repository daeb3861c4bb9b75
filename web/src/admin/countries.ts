/** The coalition's countries (ISO 3166-1 alpha-2); names come from the translations. */
export const COUNTRIES = ['NL', 'BE', 'FR', 'DE', 'ES', 'IT'] as const;

/** Suggested organisation kinds; the field accepts other values too. */
export const ORG_KINDS = [
  'customs',
  'police',
  'judicial',
  'fiu',
  'port_authority',
  'port_company',
  'terminal_operator',
  'shipping_line',
  'freight_forwarder',
] as const;

/** Suggested roles; the field accepts other values too. */
export const ROLES = ['analyst', 'officer', 'org_admin', 'node_admin', 'dpo', 'auditor'] as const;
