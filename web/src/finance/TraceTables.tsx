import { Anchor, Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { TraceNode, TraceResult } from '../api/finance.ts';
import { formatAmount, formatUnixTime, shortId } from './format.ts';
import { useCategoryLabel } from './useCategoryLabel.ts';

/** Rows shown per table; the CSV and GraphML exports carry the whole trace. */
export const MAX_TABLE_ROWS = 500;

function nodeText(key: string): string {
  const i = key.indexOf(':');
  return i < 0 ? key : key.slice(i + 1);
}

/** Addresses and transactions link to their own view; bare outputs do not. */
function NodeLink({ node, id }: { node?: TraceNode; id: string }) {
  const kind = node?.kind ?? id.slice(0, id.indexOf(':'));
  const text = nodeText(id);
  if (kind === 'output')
    return (
      <Text span size="xs" className="ps-mono">
        {shortId(text, 10)}
      </Text>
    );
  return (
    <Anchor
      component={Link}
      to={`/finance?q=${encodeURIComponent(text)}`}
      size="xs"
      className="ps-mono"
      title={text}
    >
      {kind === 'tx' ? shortId(text, 10) : text}
    </Anchor>
  );
}

/** The trace as tables: the accessible alternative to the graph, with the same nodes and edges. */
export function TraceTables({ result }: { result: TraceResult }) {
  const { t, i18n } = useTranslation();
  const label = useCategoryLabel();
  const language = i18n.language;
  const byKey = new Map(result.nodes.map((n) => [n.key, n]));
  const nodes = [...result.nodes]
    .sort((a, b) => a.hop - b.hop || b.tainted - a.tainted)
    .slice(0, MAX_TABLE_ROWS);
  // An address paying twice into one transaction gives two equal edges: number the repeats for keys.
  const seen = new Map<string, number>();
  const edges = [...result.edges]
    .sort((a, b) => a.hop - b.hop)
    .slice(0, MAX_TABLE_ROWS)
    .map((edge) => {
      const base = `${edge.from}>${edge.to}>${edge.txid}`;
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return { edge, key: `${base}#${n}` };
    });
  const amount = (v: number) => formatAmount(v, result.unit, language);
  return (
    <Stack gap="md">
      <section aria-labelledby="finance-trace-nodes-heading">
        <Title order={3} size="h5" id="finance-trace-nodes-heading">
          {t('finance.trace.nodesTitle', { count: result.nodes.length })}
        </Title>
        {result.nodes.length > MAX_TABLE_ROWS && (
          <Text size="xs" c="dimmed">
            {t('finance.trace.rowsCut', { shown: MAX_TABLE_ROWS, total: result.nodes.length })}
          </Text>
        )}
        <Table.ScrollContainer minWidth={520} maxHeight={360}>
          <Table fz="xs" verticalSpacing={2} stickyHeader>
            <Table.Caption>{t('finance.trace.nodesCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('finance.trace.node')}</Table.Th>
                <Table.Th scope="col">{t('finance.trace.kind')}</Table.Th>
                <Table.Th scope="col">{t('finance.trace.hop')}</Table.Th>
                <Table.Th scope="col">{t('finance.trace.category')}</Table.Th>
                <Table.Th scope="col">{t(`finance.trace.taintedColumn.${result.direction}`)}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {nodes.map((node) => (
                <Table.Tr
                  key={node.key}
                  data-testid="finance-trace-node-row"
                  data-hop={node.hop}
                  data-category={node.category ?? ''}
                >
                  <Table.Td>
                    <NodeLink node={node} id={node.key} />
                  </Table.Td>
                  <Table.Td>
                    {t(`finance.trace.kinds.${node.kind}`)}
                    {node.hop === 0 && node.kind !== 'tx' && (
                      <Badge size="xs" ml={4} color="yellow">
                        {t('finance.graph.source')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{node.hop}</Table.Td>
                  <Table.Td>
                    {node.category ? label(node.category) : '—'}
                    {node.service && result.stoppedAt.includes(node.key) && (
                      <Text span size="xs" c="dimmed">
                        {' '}
                        ({t('finance.trace.stopped')})
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{amount(node.tainted)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
      <section aria-labelledby="finance-trace-edges-heading">
        <Title order={3} size="h5" id="finance-trace-edges-heading">
          {t('finance.trace.edgesTitle', { count: result.edges.length })}
        </Title>
        {result.edges.length > MAX_TABLE_ROWS && (
          <Text size="xs" c="dimmed">
            {t('finance.trace.rowsCut', { shown: MAX_TABLE_ROWS, total: result.edges.length })}
          </Text>
        )}
        <Table.ScrollContainer minWidth={640} maxHeight={360}>
          <Table fz="xs" verticalSpacing={2} stickyHeader>
            <Table.Caption>{t('finance.trace.edgesCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('finance.trace.from')}</Table.Th>
                <Table.Th scope="col">{t('finance.trace.to')}</Table.Th>
                <Table.Th scope="col">{t('finance.trace.hop')}</Table.Th>
                <Table.Th scope="col">{t('finance.trace.time')}</Table.Th>
                <Table.Th scope="col">{t('finance.trace.value')}</Table.Th>
                <Table.Th scope="col">{t(`finance.trace.taintedColumn.${result.direction}`)}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {edges.map(({ edge, key }) => (
                <Table.Tr key={key} data-testid="finance-trace-edge-row">
                  <Table.Td>
                    <NodeLink node={byKey.get(edge.from)} id={edge.from} />
                  </Table.Td>
                  <Table.Td>
                    <NodeLink node={byKey.get(edge.to)} id={edge.to} />
                  </Table.Td>
                  <Table.Td>{edge.hop}</Table.Td>
                  <Table.Td>{formatUnixTime(edge.time, language)}</Table.Td>
                  <Table.Td>{amount(edge.value)}</Table.Td>
                  <Table.Td>{amount(edge.tainted)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </section>
    </Stack>
  );
}
