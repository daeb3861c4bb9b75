import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../api/cargo.ts';

const COLOURS: Record<Channel, string> = { red: 'red', amber: 'orange', green: 'green' };

/**
 * The channel as a coloured badge that also says it in words (never colour alone): the short
 * form ("Red") in the dense queue, the long form ("Red · inspect") elsewhere.
 */
export function ChannelBadge({ channel, short = false }: { channel: Channel; short?: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={COLOURS[channel]}
      variant="filled"
      size="sm"
      tt="none"
      style={{ minWidth: 'max-content', flexShrink: 0 }}
      data-testid="cargo-channel"
      data-channel={channel}
    >
      {short ? t(`cargo.channelNames.${channel}`) : t(`cargo.channels.${channel}`)}
    </Badge>
  );
}
