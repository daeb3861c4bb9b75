import { Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { isApiError } from '../api/client.ts';
import { getItem } from '../api/items.ts';
import { queryKeys } from '../api/queryKeys.ts';
import { ErrorAlert } from '../common/ErrorAlert.tsx';
import { LoadingState } from '../common/LoadingState.tsx';
import { PageTitle } from '../shell/PageTitle.tsx';
import { ItemView } from './ItemView.tsx';
import { JustificationDialog } from './JustificationDialog.tsx';

/**
 * Loads one item. Personal-data items answer 428 JUSTIFICATION_REQUIRED: the page then asks
 * for the legal basis or case number and fetches again with the `x-justification` header.
 * The justification is kept for this visit only.
 */
export default function ItemViewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const [justification, setJustification] = useState<{ id: string; text: string } | null>(null);
  const activeJustification = justification?.id === id ? justification.text : undefined;

  const query = useQuery({
    queryKey: queryKeys.itemWithJustification(id, activeJustification),
    queryFn: ({ signal }) => getItem(id, activeJustification, signal),
    enabled: id !== '',
  });

  if (query.data) {
    return <ItemView key={query.data.id} item={query.data} justification={activeJustification} />;
  }
  if (query.isPending) return <LoadingState />;

  const needsJustification = isApiError(query.error, 'JUSTIFICATION_REQUIRED');
  return (
    <Stack>
      <PageTitle>{needsJustification ? t('justification.pageTitle') : t('item.unavailable')}</PageTitle>
      {needsJustification ? (
        <JustificationDialog
          opened
          onSubmit={(text) => setJustification({ id, text })}
          onCancel={() => navigate('/items')}
        />
      ) : (
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      )}
    </Stack>
  );
}
