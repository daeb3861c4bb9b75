import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage } from '../i18n/index.ts';
import { LANGUAGE_NAMES, LANGUAGES, toLanguage } from '../i18n/languages.ts';

/** A native <select>: keyboard- and test-friendly (`selectOption('fr')`). */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const value = toLanguage(i18n.language) ?? currentLanguage();
  return (
    <NativeSelect
      label={t('shell.language')}
      size="xs"
      w={{ base: 108, sm: 130 }}
      value={value}
      onChange={(event) => {
        const next = toLanguage(event.currentTarget.value);
        if (next) void setLanguage(next);
      }}
      data={LANGUAGES.map((code) => ({ value: code, label: LANGUAGE_NAMES[code] }))}
      data-testid="lang-switcher"
    />
  );
}
