import { Table, type TableProps, type TableTrProps, Text, VisuallyHidden } from '@mantine/core';
import { type RowData, type TableOptions, tableFeatures, useTable } from '@tanstack/react-table';

/** Core-only features: sorting, filtering and paging are done by the server. */
export const coreFeatures = tableFeatures({});
export type CoreFeatures = typeof coreFeatures;
export type DataColumns<T extends RowData> = TableOptions<CoreFeatures, T>['columns'];

interface DataTableProps<T extends RowData> {
  data: T[];
  columns: DataColumns<T>;
  getRowId: (row: T) => string;
  /** Read by screen readers; visually hidden unless `showCaption`. */
  caption: string;
  showCaption?: boolean;
  emptyText: string;
  rowTestId?: string;
  minWidth?: number;
  /** Overrides of the table's look (spacing, stripes) and its test id. */
  tableProps?: TableProps & { 'data-testid'?: string };
  /** Per-row attributes (data-* for tests, a background for the selected row). */
  rowProps?: (row: T) => TableTrProps & Record<`data-${string}`, string | boolean | undefined>;
}

/** A TanStack Table rendered with Mantine's table markup (semantic <table>, <th scope="col">). */
export function DataTable<T extends RowData>({
  data,
  columns,
  getRowId,
  caption,
  showCaption = false,
  emptyText,
  rowTestId,
  minWidth = 640,
  tableProps,
  rowProps,
}: DataTableProps<T>) {
  const table = useTable({ features: coreFeatures, columns, data, getRowId: (row) => getRowId(row) });
  const rows = table.getRowModel().rows;

  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped highlightOnHover verticalSpacing="xs" fz="sm" {...tableProps}>
        <Table.Caption>{showCaption ? caption : <VisuallyHidden>{caption}</VisuallyHidden>}</Table.Caption>
        <Table.Thead>
          {table.getHeaderGroups().map((group) => (
            <Table.Tr key={group.id}>
              {group.headers.map((header) => (
                <Table.Th key={header.id} scope="col">
                  {header.isPlaceholder ? null : <table.FlexRender header={header} />}
                </Table.Th>
              ))}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={table.getAllLeafColumns().length}>
                <Text c="dimmed" size="sm" py="sm">
                  {emptyText}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : (
            rows.map((row) => (
              <Table.Tr key={row.id} data-testid={rowTestId} {...rowProps?.(row.original)}>
                {row.getAllCells().map((cell) => (
                  <Table.Td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
