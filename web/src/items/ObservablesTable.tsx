import { Anchor, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { Observable } from '../api/types.ts';

export function ObservablesTable({ observables }: { observables: Observable[] }) {
  const { t } = useTranslation();
  if (observables.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('item.noObservables')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table striped fz="sm" verticalSpacing={4} data-testid="observables-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('observables.type')}</Table.Th>
            <Table.Th scope="col">{t('observables.value')}</Table.Th>
            <Table.Th scope="col">{t('observables.normalized')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {observables.map((observable) => (
            <Table.Tr key={observable.id}>
              <Table.Td>{t(`observableTypes.${observable.type}`)}</Table.Td>
              <Table.Td className="ps-mono">{observable.value}</Table.Td>
              <Table.Td className="ps-mono">
                <Anchor
                  component={Link}
                  to={`/items?observable=${encodeURIComponent(observable.normalized)}`}
                  aria-label={t('observables.searchFor', { value: observable.normalized })}
                >
                  {observable.normalized}
                </Anchor>
                {observable.type === 'crypto' && (
                  <>
                    {' · '}
                    <Anchor
                      component={Link}
                      to={`/finance?q=${encodeURIComponent(observable.normalized)}`}
                      size="sm"
                      data-testid="observable-trace-link"
                    >
                      {t('observables.openInFinance')}
                    </Anchor>
                  </>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
