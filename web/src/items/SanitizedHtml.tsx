import { Box } from '@mantine/core';

interface SanitizedHtmlProps {
  /** HTML produced by the server from Markdown and sanitised there. */
  html: string;
  testId?: string;
}

/**
 * The only place the UI injects HTML.
 *
 * Why this is safe: `html` comes exclusively from the API's `bodyHtml` fields, which the server
 * renders from Markdown and runs through an allow-list sanitiser (no scripts, event handlers,
 * `javascript:` URLs, iframes or styles) before storing/sending it. As defence in depth the server's
 * CSP (`default-src 'self'`, no inline scripts) stops any script that might slip through.
 * Never pass user input or any other string to this component.
 */
export function SanitizedHtml({ html, testId }: SanitizedHtmlProps) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: server-sanitised bodyHtml, see above.
  return <Box className="ps-item-body" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}
