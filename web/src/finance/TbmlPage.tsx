import {
  Anchor,
  Badge,
  Button,
  Group,
  NativeSelect,
  NumberInput,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import {
  fetchTbml,
  fetchTbmlPayments,
  type PriceCheck,
  type PriceDirection,
  type TbmlFilter,
  type TbmlRow,
  tbmlKeys,
} from '../api/finance.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { useFormatDate } from '../common/useFormatDate.ts';
import { PageTitle } from '../shell/PageTitle.tsx';
import { PriceStrip } from './PriceStrip.tsx';

function useNumber() {
  const { i18n } = useTranslation();
  return new Intl.NumberFormat(i18n.language, { maximumSignificantDigits: 3 });
}

function Factor({ row }: { row: PriceCheck }) {
  const { t } = useTranslation();
  const num = useNumber();
  if (row.direction === null) return <>—</>;
  return (
    <Badge color={row.direction === 'over' ? 'red' : 'orange'} variant="light">
      {t(`finance.tbml.${row.direction}`)}{' '}
      {row.factor === null ? t('finance.tbml.infinite') : `×${num.format(row.factor)}`}
    </Badge>
  );
}

function PaymentsPanel({ row }: { row: TbmlRow }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const result = useQuery({
    queryKey: tbmlKeys.payments(row.declarationId),
    queryFn: ({ signal }) => fetchTbmlPayments(row.declarationId, signal),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="tbml-payments-heading">
      <Title order={2} size="h4" id="tbml-payments-heading" mb="sm">
        {t('finance.tbml.paymentsTitle', { reference: row.reference })}
      </Title>
      {result.isPending && <LoadingState />}
      {result.isError && <ErrorAlert error={result.error} onRetry={() => void result.refetch()} />}
      {result.data && result.data.payments.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('finance.tbml.paymentsEmpty')}
        </Text>
      )}
      {result.data && result.data.payments.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table fz="sm" verticalSpacing={6} data-testid="tbml-payments">
            <Table.Caption>{t('finance.tbml.paymentsCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('finance.tbml.date')}</Table.Th>
                <Table.Th scope="col">{t('finance.tbml.amount')}</Table.Th>
                <Table.Th scope="col">{t('finance.tbml.payer')}</Table.Th>
                <Table.Th scope="col">{t('finance.tbml.payee')}</Table.Th>
                <Table.Th scope="col">{t('finance.tbml.reference')}</Table.Th>
                <Table.Th scope="col">{t('finance.tbml.match')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.data.payments.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{formatDate(`${p.date}T00:00:00Z`, false)}</Table.Td>
                  <Table.Td>
                    {p.amount} {p.currency}
                  </Table.Td>
                  <Table.Td>
                    {p.payer.name}
                    <Text size="xs" c="dimmed" ff="monospace">
                      {p.payer.iban}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {p.payee.name}
                    <Text size="xs" c="dimmed" ff="monospace">
                      {p.payee.iban}
                    </Text>
                  </Table.Td>
                  <Table.Td>{p.reference || '—'}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {p.betweenParties && (
                        <Badge size="sm" color="red" variant="light">
                          {t('finance.tbml.between')}
                        </Badge>
                      )}
                      {p.matches.map((m) => (
                        <Text size="xs" key={`${m.side}-${m.role}`}>
                          {t(m.by === 'name' ? 'finance.tbml.matchName' : 'finance.tbml.matchIban', {
                            side: t(`finance.tbml.${m.side}`),
                            role: t(`finance.tbml.${m.role}`),
                          })}
                        </Text>
                      ))}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}

function TbmlTable({ rows, onPayments }: { rows: TbmlRow[]; onPayments: (row: TbmlRow) => void }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const num = useNumber();
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table fz="sm" verticalSpacing={6} highlightOnHover data-testid="tbml-table">
        <Table.Caption>{t('finance.tbml.caption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('finance.tbml.declaration')}</Table.Th>
            <Table.Th scope="col">{t('finance.tbml.hs')}</Table.Th>
            <Table.Th scope="col">{t('finance.tbml.parties')}</Table.Th>
            <Table.Th scope="col">{t('finance.tbml.unitValue')}</Table.Th>
            <Table.Th scope="col">{t('finance.tbml.band')}</Table.Th>
            <Table.Th scope="col">{t('finance.tbml.chart')}</Table.Th>
            <Table.Th scope="col">{t('finance.tbml.factor')}</Table.Th>
            <Table.Th scope="col">{t('finance.tbml.payments')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.declarationId} data-testid="tbml-row">
              <Table.Td>
                <Text size="sm" fw={500} ff="monospace">
                  {r.reference}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatDate(r.filedAt, false)} · {r.lane}
                </Text>
              </Table.Td>
              <Table.Td>
                {r.hs}
                <Text size="xs" c="dimmed" lineClamp={1}>
                  {r.description}
                </Text>
              </Table.Td>
              <Table.Td>
                {r.shipper.name} ({r.shipper.country}) → {r.consignee.name} ({r.consignee.country})
                {r.scoredAsOutlier && (
                  <Text size="xs" c="dimmed">
                    {t('finance.tbml.scored')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{r.unitValue === null ? '—' : num.format(r.unitValue)}</Table.Td>
              <Table.Td>
                {r.band &&
                  t('finance.tbml.bandValue', {
                    q1: num.format(r.band.q1),
                    q3: num.format(r.band.q3),
                    n: r.band.n,
                    scope: t(r.band.scope === 'hs+lane' ? 'finance.tbml.scopeLane' : 'finance.tbml.scopeHs'),
                  })}
              </Table.Td>
              <Table.Td>
                {r.band && r.unitValue !== null && (
                  <PriceStrip value={r.unitValue} q1={r.band.q1} q3={r.band.q3} />
                )}
              </Table.Td>
              <Table.Td>
                <Factor row={r} />
              </Table.Td>
              <Table.Td>
                <Button
                  size="compact-xs"
                  variant="light"
                  onClick={() => onPayments(r)}
                  data-testid="tbml-payments-button"
                >
                  {t('finance.tbml.showPayments', { count: r.payments })}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const EMPTY: TbmlFilter = {};

/**
 * Trade-based money laundering: the organisation's declarations priced far outside the usual band of
 * their HS code (the interquartile price filter), with the organisation's payments naming their parties.
 */
export default function TbmlPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<TbmlFilter>(EMPTY);
  const [draft, setDraft] = useState<TbmlFilter>(EMPTY);
  const [selected, setSelected] = useState<TbmlRow | null>(null);
  const result = useQuery({
    queryKey: tbmlKeys.list(filter),
    queryFn: ({ signal }) => fetchTbml(filter, signal),
  });

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setSelected(null);
    setFilter({ ...draft });
  };
  const text = (key: 'port' | 'hs' | 'from' | 'to', label: string, placeholder?: string) => (
    <TextInput
      label={label}
      placeholder={placeholder}
      value={draft[key] ?? ''}
      onChange={(e) => setDraft({ ...draft, [key]: e.currentTarget.value.trim() || undefined })}
      w={140}
    />
  );

  return (
    <Stack gap="md">
      <PageTitle>{t('finance.tbml.title')}</PageTitle>
      <Anchor component={Link} to="/finance" size="sm">
        {t('finance.tbml.back')}
      </Anchor>
      <Text size="sm" c="dimmed">
        {t('finance.tbml.help')}
      </Text>
      <Paper withBorder p="sm">
        <form onSubmit={submit}>
          <Group align="flex-end" gap="xs" wrap="wrap">
            {text('port', t('finance.tbml.port'), 'BEANR')}
            {text('hs', t('finance.tbml.hs'), '0803')}
            <NativeSelect
              label={t('finance.tbml.direction')}
              value={draft.direction ?? ''}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  direction: (e.currentTarget.value || undefined) as PriceDirection | undefined,
                })
              }
              data={[
                { value: '', label: t('finance.tbml.any') },
                { value: 'over', label: t('finance.tbml.over') },
                { value: 'under', label: t('finance.tbml.under') },
              ]}
            />
            {text('from', t('finance.tbml.from'), 'YYYY-MM-DD')}
            {text('to', t('finance.tbml.to'), 'YYYY-MM-DD')}
            <NumberInput
              label={t('finance.tbml.minFactor')}
              min={1}
              max={1000}
              step={0.5}
              decimalScale={2}
              value={draft.minFactor ?? 2}
              onChange={(v) => setDraft({ ...draft, minFactor: typeof v === 'number' ? v : undefined })}
              w={130}
            />
            <Button type="submit" data-testid="tbml-apply">
              {t('finance.tbml.apply')}
            </Button>
          </Group>
        </form>
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="tbml-heading">
        <Title order={2} size="h4" id="tbml-heading" mb="sm">
          {t('finance.tbml.listTitle')}
        </Title>
        {result.isPending && <LoadingState />}
        {result.isError && <ErrorAlert error={result.error} onRetry={() => void result.refetch()} />}
        {result.data && (
          <Stack gap="sm">
            <Text size="sm">
              {t('finance.tbml.summary', {
                flagged: result.data.rows.length,
                scanned: result.data.scanned,
                noBand: result.data.noBand,
                unvalued: result.data.unvalued,
              })}
            </Text>
            {result.data.truncated && (
              <Text size="sm" c="orange">
                {t('finance.tbml.truncated', { scanned: result.data.scanned })}
              </Text>
            )}
            {result.data.rows.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('finance.tbml.empty')}
              </Text>
            ) : (
              <TbmlTable rows={result.data.rows} onPayments={setSelected} />
            )}
          </Stack>
        )}
      </Paper>
      {selected && <PaymentsPanel key={selected.declarationId} row={selected} />}
    </Stack>
  );
}
