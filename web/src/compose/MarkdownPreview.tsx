import { Anchor, Blockquote, Code, Divider, List, Table, Text, Title, type TitleOrder } from '@mantine/core';
import { lexer, type MarkedToken, type Token } from 'marked';
import { Fragment, type ReactNode, useMemo } from 'react';

/**
 * Client-side preview of the Markdown body. Tokens from marked's lexer are turned into React
 * elements, so nothing is injected as HTML: raw HTML in the source shows as text. The published
 * item is rendered and sanitised by the server (`bodyHtml`), which is the authoritative output.
 */

const SAFE_URL = /^(https?:|mailto:)/i;

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};
const decode = (text: string): string => text.replace(/&(amp|lt|gt|quot|#39);/g, (m) => ENTITIES[m] ?? m);

function renderInline(tokens: Token[] | undefined, fallback = ''): ReactNode {
  if (!tokens || tokens.length === 0) return decode(fallback);
  return tokens.map((token, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: tokens have no identity; the list is re-rendered whole.
    <Fragment key={index}>{renderToken(token)}</Fragment>
  ));
}

function renderToken(raw: Token): ReactNode {
  const token = raw as MarkedToken;
  switch (token.type) {
    case 'space':
    case 'def':
    case 'checkbox':
      return null;
    case 'heading':
      return (
        <Title order={Math.min(6, Math.max(3, token.depth + 2)) as TitleOrder} size="h5" my="xs">
          {renderInline(token.tokens, token.text)}
        </Title>
      );
    case 'paragraph':
      return (
        <Text size="sm" my={6}>
          {renderInline(token.tokens, token.text)}
        </Text>
      );
    case 'text':
      return token.tokens ? renderInline(token.tokens, token.text) : decode(token.text);
    case 'escape':
      return decode(token.text);
    case 'strong':
      return <strong>{renderInline(token.tokens, token.text)}</strong>;
    case 'em':
      return <em>{renderInline(token.tokens, token.text)}</em>;
    case 'del':
      return <del>{renderInline(token.tokens, token.text)}</del>;
    case 'codespan':
      return <Code>{decode(token.text)}</Code>;
    case 'br':
      return <br />;
    case 'code':
      return (
        <Code block my="xs">
          {token.text}
        </Code>
      );
    case 'blockquote':
      return (
        <Blockquote p="xs" my="xs">
          {renderBlocks(token.tokens)}
        </Blockquote>
      );
    case 'hr':
      return <Divider my="sm" />;
    case 'list':
      return (
        <List type={token.ordered ? 'ordered' : 'unordered'} size="sm" my={6} withPadding>
          {token.items.map((item, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity.
            <List.Item key={index}>
              {item.task ? `${item.checked ? '☑' : '☐'} ` : null}
              {renderBlocks(item.tokens)}
            </List.Item>
          ))}
        </List>
      );
    case 'link':
      return SAFE_URL.test(token.href) ? (
        <Anchor href={token.href} target="_blank" rel="noopener noreferrer">
          {renderInline(token.tokens, token.text)}
        </Anchor>
      ) : (
        renderInline(token.tokens, token.text)
      );
    case 'image':
      return `[${decode(token.text)}]`;
    case 'table':
      return (
        <Table withTableBorder withColumnBorders fz="sm" my="xs">
          <Table.Thead>
            <Table.Tr>
              {token.header.map((cell, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: cells have no identity.
                <Table.Th key={index}>{renderInline(cell.tokens, cell.text)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {token.rows.map((row, rowIndex) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity.
              <Table.Tr key={rowIndex}>
                {row.map((cell, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: cells have no identity.
                  <Table.Td key={index}>{renderInline(cell.tokens, cell.text)}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      );
    case 'html':
      // Raw HTML is shown as text, never interpreted.
      return token.block ? (
        <Text size="sm" ff="monospace">
          {token.text}
        </Text>
      ) : (
        token.text
      );
    default:
      return 'text' in token && typeof token.text === 'string' ? token.text : null;
  }
}

function renderBlocks(tokens: Token[]): ReactNode {
  return tokens.map((token, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: tokens have no identity; the list is re-rendered whole.
    <Fragment key={index}>{renderToken(token)}</Fragment>
  ));
}

export function MarkdownPreview({ source, emptyText }: { source: string; emptyText: string }) {
  const tokens = useMemo(() => lexer(source, { gfm: true, breaks: false }), [source]);
  if (!source.trim()) {
    return (
      <Text size="sm" c="dimmed">
        {emptyText}
      </Text>
    );
  }
  return <div data-testid="compose-preview">{renderBlocks(tokens)}</div>;
}
