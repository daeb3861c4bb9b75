import type { AuditRecord } from '../api/types.ts';
import { AuditTable } from '../audit/AuditTable.tsx';

export function ItemAuditTab({ records, caption }: { records: AuditRecord[]; caption: string }) {
  return <AuditTable records={records} caption={caption} withItem={false} />;
}
