import { Badge } from '@mantine/core';
import type { Marking } from '../api/types.ts';
import { markingLabel, TLP_BACKGROUND, TLP_COLOURS, tlpLabel } from './marking.ts';

interface MarkingChipProps {
  marking: Marking;
  /** Show only the TLP level instead of the full marking. */
  tlpOnly?: boolean;
}

export function MarkingChip({ marking, tlpOnly = false }: MarkingChipProps) {
  return (
    <Badge
      radius="xs"
      tt="none"
      fw={700}
      styles={{
        root: {
          background: TLP_BACKGROUND,
          color: TLP_COLOURS[marking.tlp],
          maxWidth: 'none',
          flexShrink: 0,
        },
        label: { overflow: 'visible' },
      }}
      data-testid="marking-chip"
      data-tlp={marking.tlp}
    >
      {tlpOnly ? tlpLabel(marking.tlp) : markingLabel(marking)}
    </Badge>
  );
}
