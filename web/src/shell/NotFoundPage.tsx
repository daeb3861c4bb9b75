import { Anchor, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { PageTitle } from './PageTitle.tsx';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <PageTitle>{t('notFound.title')}</PageTitle>
      <Text>{t('notFound.text')}</Text>
      <Anchor component={Link} to="/inbox">
        {t('notFound.back')}
      </Anchor>
    </Stack>
  );
}
