import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** Key of a tag category under `finance.categories` ("darknet market" and "darknet_market" are one). */
export function categoryKey(category: string): string {
  return category
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
}

/**
 * The translated name of a tag category. Categories come from tags and TagPacks, so an unknown one is
 * shown as written rather than hidden.
 */
export function useCategoryLabel(): (category: string | null) => string {
  const { t } = useTranslation();
  return useCallback(
    (category) =>
      category === null
        ? t('finance.categories.none')
        : t(`finance.categories.${categoryKey(category)}`, { defaultValue: category }),
    [t],
  );
}
