import { createTheme, type MantineThemeOverride, Modal, Notification } from '@mantine/core';

// System fonts only: the CSP forbids network fonts and nothing else is bundled.
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  headings: { fontWeight: '650' },
  focusRing: 'always',
  cursorType: 'pointer',
});

/**
 * The theme with the texts Mantine renders by itself: the close buttons of notifications and
 * dialogs are icon-only and need an accessible name in the user's language.
 */
export function localisedTheme(closeLabel: string): MantineThemeOverride {
  return {
    ...theme,
    components: {
      ...theme.components,
      Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } }),
      Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': closeLabel } } }),
    },
  };
}
