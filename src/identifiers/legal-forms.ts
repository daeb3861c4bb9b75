/**
 * Legal-form designations stripped from the end of company names, written as the
 * concatenation of their normalised tokens: 'B.V.' → tokens 'b v' → 'bv'; 'Sp. z o.o.'
 * → 'sp z o o' → 'spzoo'; 'S.A. de C.V.' → 'sadecv'. The abbreviations are the usual ones
 * for each jurisdiction (cf. the ISO 20275 Entity Legal Forms code list), weighted towards
 * the EU and the Latin American export countries PortShield's cases involve. Chains such as
 * 'GmbH & Co. KG' or 'Cía. Ltda.' need no entry of their own: stripping repeats until the
 * tail is no longer a legal form.
 */
const FORMS_BY_REGION: Readonly<Record<string, string>> = {
  netherlandsBelgium: 'bv nv vof cv bvba cvba sprl scrl commv vzw asbl',
  franceLuxembourg: 'sa sarl sas sasu eurl sci snc sca scs scop gie cie etcie',
  germanyAustriaSwitzerland: 'gmbh ag kg ohg kgaa ug haftungsbeschrankt ev eg gbr mbh gesmbh undco cokg',
  italy: 'srl srls spa sapa scarl sccl ss',
  iberiaLatinAmerica:
    'sl slu sau sll ltda lda limitada sac saa eirl eireli cia ycia sadecv sderl sderldecv sapi sapidecv sab sabdecv ca',
  englishSpeaking:
    'ltd limited plc llc llp lp lllp pllc inc incorporated corp corporation co company andco pty pte pvt bhd sdnbhd ulc dac clg',
  nordicBaltic: 'ab publ as asa aps ivs oy oyj hf ehf ou sia uab',
  centralEasternEurope: 'spzoo spk spj sro kft zrt nyrt bt doo dd ood eood ooo zao oao pao',
  greeceTurkeyAsia: 'ae epe ike ltdsti sti kk gk tbk',
};

export const LEGAL_FORMS: ReadonlySet<string> = new Set(
  Object.values(FORMS_BY_REGION).flatMap((forms) => forms.split(' ')),
);

/** Longest legal form counted in tokens ('S. de R.L. de C.V.' → 's de r l de c v' is 7). */
export const MAX_LEGAL_FORM_TOKENS = 7;
