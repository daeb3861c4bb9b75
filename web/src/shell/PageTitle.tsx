import { Title, type TitleOrder } from '@mantine/core';
import { type ReactNode, useEffect, useRef } from 'react';

interface PageTitleProps {
  children: ReactNode;
  /** The document title; defaults to the heading text when it is a string. */
  documentTitle?: string;
  order?: TitleOrder;
  testId?: string;
}

/**
 * The page's <h1>. It receives focus when the page mounts, so keyboard and screen-reader
 * users land on the new content after a route change.
 */
export function PageTitle({ children, documentTitle, order = 1, testId }: PageTitleProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  const text = documentTitle ?? (typeof children === 'string' ? children : undefined);

  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);

  useEffect(() => {
    if (text) document.title = `${text} · PortShield`;
  }, [text]);

  return (
    <Title order={order} ref={ref} tabIndex={-1} className="ps-page-title" size="h2" data-testid={testId}>
      {children}
    </Title>
  );
}
