import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json' with { type: 'json' };
import { browserLanguage, type Language, toLanguage } from './languages.ts';

type Messages = typeof en;

// English is bundled (it is also the fallback); the other languages are loaded on demand.
const loaders: Record<Exclude<Language, 'en'>, () => Promise<{ default: Messages }>> = {
  nl: () => import('./nl.json', { with: { type: 'json' } }),
  fr: () => import('./fr.json', { with: { type: 'json' } }),
  de: () => import('./de.json', { with: { type: 'json' } }),
  es: () => import('./es.json', { with: { type: 'json' } }),
  it: () => import('./it.json', { with: { type: 'json' } }),
};

async function ensureLoaded(language: Language): Promise<void> {
  if (language === 'en' || i18next.hasResourceBundle(language, 'translation')) return;
  const messages = await loaders[language]();
  i18next.addResourceBundle(language, 'translation', messages.default, true, true);
}

function applyDocumentLanguage(language: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** Loads the messages of `language` (if needed) and switches the UI to it. */
export async function setLanguage(language: Language): Promise<void> {
  await ensureLoaded(language);
  await i18next.changeLanguage(language);
}

/** Switches to the user's locale when it is one of the supported languages. */
export async function setLanguageFromLocale(locale: string | null | undefined): Promise<void> {
  const language = toLanguage(locale);
  if (language && language !== i18next.language) await setLanguage(language);
}

export function currentLanguage(): Language {
  return toLanguage(i18next.language) ?? 'en';
}

export async function initI18n(): Promise<void> {
  const initial = browserLanguage();
  i18next.on('languageChanged', applyDocumentLanguage);
  await i18next.use(initReactI18next).init({
    resources: { en: { translation: en } },
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: ['en', 'nl', 'fr', 'de', 'es', 'it'],
    interpolation: { escapeValue: false }, // React escapes.
    returnNull: false,
    react: { useSuspense: false },
  });
  applyDocumentLanguage('en');
  if (initial !== 'en') {
    try {
      await setLanguage(initial);
    } catch {
      // Keep English when a language bundle cannot be loaded.
    }
  }
}
