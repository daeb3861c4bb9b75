import { Group, NativeSelect, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { portName, QUEUE_PORTS } from './ports.ts';

interface PortSelectProps {
  value: string;
  onChange: (port: string) => void;
  testId: string;
}

/** The seven coalition ports with a targeting queue (a native select: keyboard and test friendly). */
export function PortSelect({ value, onChange, testId }: PortSelectProps) {
  const { t } = useTranslation();
  return (
    <NativeSelect
      label={t('cargo.filters.port')}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={QUEUE_PORTS.map((p) => ({ value: p, label: portName(p) }))}
      data-testid={testId}
    />
  );
}

interface DateFieldProps {
  label: string;
  value: string;
  onChange: (date: string) => void;
  testId: string;
}

/** A native date input: the browser's own accessible date picker, value YYYY-MM-DD. */
export function DateField({ label, value, onChange, testId }: DateFieldProps) {
  return (
    <TextInput
      type="date"
      label={label}
      value={value}
      onChange={(e) => {
        if (e.currentTarget.value) onChange(e.currentTarget.value);
      }}
      data-testid={testId}
    />
  );
}

export function FilterBar({ children }: { children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <search aria-label={t('cargo.filters.label')}>
      <Group align="flex-end" gap="sm">
        {children}
      </Group>
    </search>
  );
}
