/**
 * Ports the cargo screens can draw: name and position (WGS 84, decimal degrees, approximate
 * position of the container terminals) of the coalition's ports of discharge, the origin ports of
 * the demo world, the usual transshipment hubs and the other ports its lanes call at. A static
 * table on purpose: the map is drawn offline, and a port missing here is listed, not drawn.
 */
export interface PortInfo {
  name: string;
  country: string;
  lat: number;
  lon: number;
}

/** The seven EU ports of discharge that have a targeting queue, in the order of the selector. */
export const QUEUE_PORTS = ['NLRTM', 'BEANR', 'DEHAM', 'FRLEH', 'ESALG', 'ESVLC', 'ITGIT'] as const;
export type QueuePort = (typeof QUEUE_PORTS)[number];

export const PORTS: Readonly<Record<string, PortInfo>> = {
  // Coalition ports of discharge.
  NLRTM: { name: 'Rotterdam', country: 'NL', lat: 51.95, lon: 4.05 },
  BEANR: { name: 'Antwerp', country: 'BE', lat: 51.28, lon: 4.3 },
  DEHAM: { name: 'Hamburg', country: 'DE', lat: 53.53, lon: 9.93 },
  FRLEH: { name: 'Le Havre', country: 'FR', lat: 49.47, lon: 0.15 },
  ESALG: { name: 'Algeciras', country: 'ES', lat: 36.13, lon: -5.44 },
  ESVLC: { name: 'Valencia', country: 'ES', lat: 39.44, lon: -0.32 },
  ITGIT: { name: 'Gioia Tauro', country: 'IT', lat: 38.45, lon: 15.9 },
  // Origin ports of the demo world (Latin America).
  ECGYE: { name: 'Guayaquil', country: 'EC', lat: -2.28, lon: -79.91 },
  ECPBO: { name: 'Puerto Bolívar', country: 'EC', lat: -3.27, lon: -80.0 },
  ECPSJ: { name: 'Posorja', country: 'EC', lat: -2.7, lon: -80.25 },
  COCTG: { name: 'Cartagena', country: 'CO', lat: 10.39, lon: -75.53 },
  COBUN: { name: 'Buenaventura', country: 'CO', lat: 3.89, lon: -77.07 },
  COTRB: { name: 'Turbo', country: 'CO', lat: 8.09, lon: -76.73 },
  COSMR: { name: 'Santa Marta', country: 'CO', lat: 11.25, lon: -74.22 },
  COBAQ: { name: 'Barranquilla', country: 'CO', lat: 11.0, lon: -74.8 },
  PECLL: { name: 'Callao', country: 'PE', lat: -12.05, lon: -77.15 },
  PEPAI: { name: 'Paita', country: 'PE', lat: -5.08, lon: -81.11 },
  BRSSZ: { name: 'Santos', country: 'BR', lat: -23.98, lon: -46.3 },
  BRPNG: { name: 'Paranaguá', country: 'BR', lat: -25.5, lon: -48.52 },
  BRRIG: { name: 'Rio Grande', country: 'BR', lat: -32.05, lon: -52.1 },
  CRMOB: { name: 'Moín', country: 'CR', lat: 10.0, lon: -83.08 },
  CRLIO: { name: 'Puerto Limón', country: 'CR', lat: 9.99, lon: -83.03 },
  PAONX: { name: 'Colón', country: 'PA', lat: 9.36, lon: -79.9 },
  PAMIT: { name: 'Manzanillo (Colón)', country: 'PA', lat: 9.37, lon: -79.88 },
  PABLB: { name: 'Balboa', country: 'PA', lat: 8.95, lon: -79.57 },
  PAROD: { name: 'Rodman', country: 'PA', lat: 8.95, lon: -79.58 },
  ARBUE: { name: 'Buenos Aires', country: 'AR', lat: -34.6, lon: -58.37 },
  UYMVD: { name: 'Montevideo', country: 'UY', lat: -34.9, lon: -56.21 },
  CLSAI: { name: 'San Antonio', country: 'CL', lat: -33.59, lon: -71.62 },
  VEPCB: { name: 'Puerto Cabello', country: 'VE', lat: 10.48, lon: -68.01 },
  GYGEO: { name: 'Georgetown', country: 'GY', lat: 6.81, lon: -58.16 },
  SRPBM: { name: 'Paramaribo', country: 'SR', lat: 5.83, lon: -55.16 },
  MXVER: { name: 'Veracruz', country: 'MX', lat: 19.2, lon: -96.13 },
  // Caribbean and North American hubs.
  DOCAU: { name: 'Caucedo', country: 'DO', lat: 18.42, lon: -69.63 },
  DOHAI: { name: 'Río Haina', country: 'DO', lat: 18.42, lon: -70.01 },
  JMKIN: { name: 'Kingston', country: 'JM', lat: 17.97, lon: -76.8 },
  BSFPO: { name: 'Freeport', country: 'BS', lat: 26.52, lon: -78.77 },
  USNYC: { name: 'New York', country: 'US', lat: 40.67, lon: -74.04 },
  USSAV: { name: 'Savannah', country: 'US', lat: 32.08, lon: -81.09 },
  USOAK: { name: 'Oakland', country: 'US', lat: 37.8, lon: -122.3 },
  CAMTR: { name: 'Montreal', country: 'CA', lat: 45.55, lon: -73.52 },
  // Mediterranean and Atlantic transshipment hubs.
  MAPTM: { name: 'Tanger Med', country: 'MA', lat: 35.89, lon: -5.5 },
  PTSIE: { name: 'Sines', country: 'PT', lat: 37.95, lon: -8.87 },
  GRPIR: { name: 'Piraeus', country: 'GR', lat: 37.94, lon: 23.63 },
  TRAMR: { name: 'Ambarlı', country: 'TR', lat: 40.97, lon: 28.69 },
  TRIST: { name: 'Istanbul', country: 'TR', lat: 41.0, lon: 28.97 },
  TRMER: { name: 'Mersin', country: 'TR', lat: 36.78, lon: 34.64 },
  MTMAR: { name: 'Marsaxlokk', country: 'MT', lat: 35.82, lon: 14.55 },
  EGPSD: { name: 'Port Said', country: 'EG', lat: 31.26, lon: 32.3 },
  EGALY: { name: 'Alexandria', country: 'EG', lat: 31.18, lon: 29.87 },
  ILHFA: { name: 'Haifa', country: 'IL', lat: 32.82, lon: 35.0 },
  // Africa, Middle East and Asia.
  CIABJ: { name: 'Abidjan', country: 'CI', lat: 5.29, lon: -4.01 },
  GHTEM: { name: 'Tema', country: 'GH', lat: 5.63, lon: 0.01 },
  ZACPT: { name: 'Cape Town', country: 'ZA', lat: -33.91, lon: 18.43 },
  ZADUR: { name: 'Durban', country: 'ZA', lat: -29.87, lon: 31.03 },
  KEMBA: { name: 'Mombasa', country: 'KE', lat: -4.05, lon: 39.67 },
  AEJEA: { name: 'Jebel Ali', country: 'AE', lat: 25.01, lon: 55.06 },
  INNSA: { name: 'Nhava Sheva', country: 'IN', lat: 18.95, lon: 72.95 },
  LKCMB: { name: 'Colombo', country: 'LK', lat: 6.95, lon: 79.85 },
  SGSIN: { name: 'Singapore', country: 'SG', lat: 1.26, lon: 103.84 },
  THLCH: { name: 'Laem Chabang', country: 'TH', lat: 13.08, lon: 100.88 },
  VNSGN: { name: 'Ho Chi Minh City', country: 'VN', lat: 10.77, lon: 106.7 },
  CNSHA: { name: 'Shanghai', country: 'CN', lat: 30.63, lon: 122.07 },
  CNNGB: { name: 'Ningbo', country: 'CN', lat: 29.93, lon: 121.85 },
  CNYTN: { name: 'Yantian', country: 'CN', lat: 22.57, lon: 114.27 },
  KRPUS: { name: 'Busan', country: 'KR', lat: 35.1, lon: 129.04 },
  AUMEL: { name: 'Melbourne', country: 'AU', lat: -37.84, lon: 144.92 },
};

export function portInfo(locode: string): PortInfo | undefined {
  return PORTS[locode.replace(/\s+/g, '').toUpperCase()];
}

/** `BEANR (Antwerp)`, or the code alone for a port not in the table. */
export function portName(locode: string): string {
  const info = portInfo(locode);
  return info ? `${locode} (${info.name})` : locode;
}

export function isQueuePort(value: string | null | undefined): value is QueuePort {
  return value !== null && value !== undefined && (QUEUE_PORTS as readonly string[]).includes(value);
}

/**
 * The user's queue port when it can be derived from the organisation's country (the first of the
 * country's ports: Algeciras for Spain), else the first port of the selector.
 */
export function defaultQueuePort(orgCountry: string | null | undefined): QueuePort {
  const country = (orgCountry ?? '').toUpperCase();
  return QUEUE_PORTS.find((p) => PORTS[p]?.country === country) ?? QUEUE_PORTS[0];
}
