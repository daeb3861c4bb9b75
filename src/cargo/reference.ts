/**
 * Reference lists shared by indicators, rules and the synthetic world. Lists are data: a rule
 * set can name them with `inList`, and each is documented with its public source.
 */

/**
 * Ports of loading and transshipment most often named in cocaine seizures at EU ports.
 * Sources: EMCDDA & Europol, "EU Drug Markets: In-depth analysis — Cocaine" (2022), section on
 * maritime trafficking (Ecuador, Colombia, Brazil, Panama, Costa Rica, Peru); Europol,
 * "Criminal networks in EU ports: risks and challenges for law enforcement" (2023); UNODC,
 * "Global Report on Cocaine 2023" (Ecuador's ports as the leading departure point towards
 * Europe); UNODC–WCO Container Control Programme annual reports (port control units in
 * Guayaquil, Puerto Bolívar, Callao, Santos, Cartagena, Buenaventura, Moín, Panama).
 */
export const HIGH_RISK_PORTS: readonly string[] = [
  'ECGYE', // Guayaquil
  'ECPBO', // Puerto Bolívar
  'ECPSJ', // Posorja
  'COCTG', // Cartagena
  'COBUN', // Buenaventura
  'COTRB', // Turbo (Urabá banana region)
  'COSMR', // Santa Marta
  'COBAQ', // Barranquilla
  'PECLL', // Callao
  'PEPAI', // Paita
  'BRSSZ', // Santos
  'BRPNG', // Paranaguá
  'BRRIG', // Rio Grande
  'CRMOB', // Moín / Limón
  'CRLIO', // Puerto Limón
  'PAONX', // Colón / Manzanillo International
  'PAMIT', // Manzanillo (Panama)
  'PABLB', // Balboa
  'PAROD', // Rodman
  'DOCAU', // Caucedo
  'DOHAI', // Rio Haina
  'GYGEO', // Georgetown
  'SRPBM', // Paramaribo
  'VEPCB', // Puerto Cabello
];

/**
 * HS headings and subheadings used as cover loads for cocaine: fresh fruit (bananas above all),
 * coffee, frozen shrimp, fruit juice and pulp. Sources: EMCDDA & Europol, "EU Drug Markets:
 * Cocaine" (2022) on concealment in reefer containers of bananas and other fresh produce;
 * Europol, "Criminal networks in EU ports" (2023). Matching is by prefix of the 6-digit code;
 * each cover commodity has a strength (how typical it is).
 */
export const COVER_COMMODITIES: ReadonlyArray<{ prefix: string; label: string; strength: number }> = [
  { prefix: '0803', label: 'bananas', strength: 1 },
  { prefix: '080430', label: 'pineapples', strength: 1 },
  { prefix: '080440', label: 'avocados', strength: 0.8 },
  { prefix: '0901', label: 'coffee', strength: 0.8 },
  { prefix: '0306', label: 'frozen crustaceans (shrimp)', strength: 0.8 },
  { prefix: '2009', label: 'fruit juice', strength: 0.7 },
  { prefix: '2008', label: 'fruit pulp and preserved fruit', strength: 0.6 },
  { prefix: '1801', label: 'cocoa beans', strength: 0.6 },
  { prefix: '0603', label: 'cut flowers', strength: 0.6 },
  { prefix: '08', label: 'fresh fruit and nuts', strength: 0.6 },
];

/** Major transshipment hubs on the routes from South America to Europe (for the generator). */
export const TRANSSHIPMENT_HUBS: readonly string[] = [
  'PAONX',
  'PAMIT',
  'PABLB',
  'JMKIN',
  'DOCAU',
  'BSFPO',
  'MAPTM',
  'ESALG',
  'PTSIE',
  'MTMAR',
  'GRPIR',
  'ITGIT',
  'SGSIN',
  'LKCMB',
  'AEJEA',
  'EGPSD',
];

/** EU member states (ISO 3166-1 alpha-2). */
export const EU_COUNTRIES: readonly string[] = [
  'AT',
  'BE',
  'BG',
  'CY',
  'CZ',
  'DE',
  'DK',
  'EE',
  'ES',
  'FI',
  'FR',
  'GR',
  'HR',
  'HU',
  'IE',
  'IT',
  'LT',
  'LU',
  'LV',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SE',
  'SI',
  'SK',
];

/**
 * Countries whose ports are short-sea (intra-European and Mediterranean-European) origins.
 * A container loaded anywhere else is "deep sea": under the EU 24-hour rule its ENS is filed
 * before loading, so customs can still issue a do-not-load message.
 */
export const SHORT_SEA_COUNTRIES: readonly string[] = [
  ...EU_COUNTRIES,
  'NO',
  'IS',
  'GB',
  'CH',
  'AL',
  'ME',
  'BA',
  'GI',
];

/** The named lists every rule set may use with `inList` (a rule set may add its own). */
export const BUILTIN_LISTS: Readonly<Record<string, readonly string[]>> = {
  'high-risk-ports': HIGH_RISK_PORTS,
  'transshipment-hubs': TRANSSHIPMENT_HUBS,
  'eu-countries': EU_COUNTRIES,
  'cover-commodity-headings': [
    '0803',
    '0804',
    '0805',
    '0806',
    '0807',
    '0810',
    '0901',
    '0306',
    '2009',
    '2008',
    '1801',
    '0603',
  ],
  'source-countries': ['CO', 'PE', 'BO', 'EC', 'BR', 'PA', 'CR', 'VE', 'GY', 'SR', 'DO'],
};

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** Names of the ports the module talks about (for explanations shown to analysts). */
export const PORT_NAMES: Readonly<Record<string, string>> = {
  ECGYE: 'Guayaquil',
  ECPBO: 'Puerto Bolívar',
  ECPSJ: 'Posorja',
  COCTG: 'Cartagena',
  COBUN: 'Buenaventura',
  COTRB: 'Turbo',
  COSMR: 'Santa Marta',
  COBAQ: 'Barranquilla',
  PECLL: 'Callao',
  PEPAI: 'Paita',
  BRSSZ: 'Santos',
  BRPNG: 'Paranaguá',
  BRRIG: 'Rio Grande',
  CRMOB: 'Moín',
  CRLIO: 'Puerto Limón',
  PAONX: 'Colón (Manzanillo Int.)',
  PAMIT: 'Manzanillo (Panama)',
  PABLB: 'Balboa',
  PAROD: 'Rodman',
  DOCAU: 'Caucedo',
  DOHAI: 'Rio Haina',
  GYGEO: 'Georgetown',
  SRPBM: 'Paramaribo',
  VEPCB: 'Puerto Cabello',
  JMKIN: 'Kingston',
  BSFPO: 'Freeport',
  MAPTM: 'Tanger Med',
  PTSIE: 'Sines',
  MTMAR: 'Marsaxlokk',
  GRPIR: 'Piraeus',
  SGSIN: 'Singapore',
  LKCMB: 'Colombo',
  AEJEA: 'Jebel Ali',
  EGPSD: 'Port Said',
  NLRTM: 'Rotterdam',
  BEANR: 'Antwerp',
  DEHAM: 'Hamburg',
  FRLEH: 'Le Havre',
  ESALG: 'Algeciras',
  ESVLC: 'Valencia',
  ITGIT: 'Gioia Tauro',
};

export function portLabel(locode: string): string {
  const name = PORT_NAMES[locode];
  return name === undefined ? locode : `${locode} (${name})`;
}
