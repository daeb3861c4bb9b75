import { useTranslation } from 'react-i18next';

const W = 180;
const H = 22;
const PAD = 6;

/**
 * A declared unit value against its usual band (Q1–Q3), on a logarithmic scale: prices are roughly
 * log-normal, so ×4 above and ÷4 below the band look equally far away. A value of 0 sits at the left edge.
 */
export function PriceStrip({ value, q1, q3 }: { value: number; q1: number; q3: number }) {
  const { t, i18n } = useTranslation();
  const fmt = new Intl.NumberFormat(i18n.language, { maximumSignificantDigits: 3 });
  const positive = value > 0 ? value : q1 / 100;
  const lo = Math.log(Math.min(q1, positive) / 1.5);
  const hi = Math.log(Math.max(q3, positive) * 1.5);
  const x = (v: number) => PAD + ((Math.log(v) - lo) / (hi - lo)) * (W - 2 * PAD);
  const label = t('finance.tbml.chartLabel', {
    value: fmt.format(value),
    q1: fmt.format(q1),
    q3: fmt.format(q3),
  });
  return (
    <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
      <title>{label}</title>
      <line x1={PAD} x2={W - PAD} y1={H / 2} y2={H / 2} stroke="var(--mantine-color-gray-4)" />
      <rect
        x={x(q1)}
        y={4}
        width={Math.max(2, x(q3) - x(q1))}
        height={H - 8}
        fill="var(--mantine-color-blue-2)"
        stroke="var(--mantine-color-blue-6)"
      />
      <circle
        cx={value > 0 ? x(value) : PAD}
        cy={H / 2}
        r={5}
        fill={value > q3 ? 'var(--mantine-color-red-6)' : 'var(--mantine-color-orange-6)'}
      />
    </svg>
  );
}
