import type {
  HandlingCode,
  InfoCredibility,
  ItemInput,
  ItemKind,
  ObservableType,
  SourceReliability,
  SubjectCategory,
  Tlp,
} from '../api/types.ts';

export interface ObservableRow {
  /** Stable React key; rows are addressed by position in the UI (`observable-value-N`). */
  key: string;
  type: ObservableType | null;
  value: string;
}

export interface ComposeState {
  kind: ItemKind;
  title: string;
  body: string;
  tlp: Tlp;
  handlingCode: HandlingCode | null;
  sourceReliability: SourceReliability | null;
  infoCredibility: InfoCredibility | null;
  orgs: string[];
  users: string[];
  communities: string[];
  node: boolean;
  personalData: boolean;
  subjectCategory: SubjectCategory | null;
  /** `YYYY-MM-DD` */
  reviewDate: string;
  observables: ObservableRow[];
  addressees: string[];
  /** `YYYY-MM-DDTHH:mm` in local time (datetime-local input). */
  deadline: string;
}

let rowCounter = 0;
export function newObservableRow(): ObservableRow {
  rowCounter += 1;
  return { key: `row-${rowCounter}`, type: null, value: '' };
}

function isoDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Personal data is reviewed at the latest after one year unless the author sets an earlier date. */
export function defaultReviewDate(now = new Date()): string {
  const next = new Date(now);
  next.setFullYear(next.getFullYear() + 1);
  return isoDate(next);
}

export function initialComposeState(): ComposeState {
  return {
    kind: 'alert',
    title: '',
    body: '',
    tlp: 'AMBER',
    handlingCode: null,
    sourceReliability: null,
    infoCredibility: null,
    orgs: [],
    users: [],
    communities: [],
    node: false,
    personalData: false,
    subjectCategory: null,
    reviewDate: defaultReviewDate(),
    observables: [newObservableRow()],
    addressees: [],
    deadline: '',
  };
}

export interface BuiltInput {
  input: ItemInput;
  /** `rowKeys[i]` is the row behind `observables.i` in the request (blank rows are left out). */
  rowKeys: string[];
}

export function buildItemInput(state: ComposeState): BuiltInput {
  const rows = state.observables.filter((row) => row.value.trim() !== '' || row.type !== null);
  const input: ItemInput = {
    kind: state.kind,
    title: state.title.trim(),
    body: state.body,
    marking: {
      tlp: state.tlp,
      handlingCode: state.handlingCode,
      sourceReliability: state.sourceReliability,
      infoCredibility: state.infoCredibility,
    },
    distribution: {
      orgs: state.orgs,
      users: state.users,
      communities: state.communities,
      node: state.node,
    },
    personalData:
      state.personalData && state.subjectCategory
        ? { subjectCategory: state.subjectCategory, reviewDate: state.reviewDate }
        : null,
    observables: rows.map((row) => ({ type: row.type ?? 'other', value: row.value.trim() })),
  };
  if (state.kind === 'rfi') {
    input.addressees = state.addressees;
    if (state.deadline) {
      const deadline = new Date(state.deadline);
      if (!Number.isNaN(deadline.getTime())) input.deadline = deadline.toISOString();
    }
  }
  return { input, rowKeys: rows.map((row) => row.key) };
}

/** Checks made before sending; the server validates everything again. Keys are API paths. */
export function validateCompose(state: ComposeState): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!state.title.trim()) errors.title = 'compose.errors.titleRequired';
  state.observables.forEach((row, index) => {
    if (row.value.trim() && !row.type) errors[`observables.${index}.type`] = 'compose.errors.typeRequired';
    if (row.type && !row.value.trim()) errors[`observables.${index}.value`] = 'compose.errors.valueRequired';
  });
  if (state.personalData) {
    if (!state.subjectCategory) errors['personalData.subjectCategory'] = 'compose.errors.categoryRequired';
    if (!state.reviewDate) errors['personalData.reviewDate'] = 'compose.errors.reviewDateRequired';
  }
  return errors;
}
