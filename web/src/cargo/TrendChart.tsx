import { Group, Text } from '@mantine/core';
import { useId } from 'react';

export interface Series {
  key: string;
  label: string;
  colour: string;
}

interface TrendChartProps {
  title: string;
  /** One label per x position (e.g. week start dates, already formatted). */
  labels: string[];
  series: Series[];
  /** values[seriesKey][i]; null where there is nothing to plot. */
  values: Record<string, (number | null)[]>;
  kind: 'bar' | 'line';
  formatValue: (value: number) => string;
  testId?: string;
}

const WIDTH = 720;
const HEIGHT = 220;
const M = { top: 12, right: 12, bottom: 36, left: 48 };

/** A rounded-up axis maximum with four ticks (1, 2, 2.5 or 5 times a power of ten per step). */
export function niceMax(max: number): { top: number; ticks: number[] } {
  if (max <= 0) return { top: 1, ticks: [0, 0.25, 0.5, 0.75, 1] };
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? raw;
  return { top: step * 4, ticks: [0, 1, 2, 3, 4].map((i) => i * step) };
}

/**
 * A small SVG chart drawn by hand (grouped bars or lines over a common x axis): enough for the
 * weekly trends without a charting dependency. The SVG is an image named by its title; the
 * figures themselves are in the table beside it.
 */
export function TrendChart({ title, labels, series, values, kind, formatValue, testId }: TrendChartProps) {
  const titleId = useId();
  const all = series.flatMap((s) => (values[s.key] ?? []).filter((v): v is number => v !== null));
  const { top, ticks } = niceMax(Math.max(0, ...all));
  const plotW = WIDTH - M.left - M.right;
  const plotH = HEIGHT - M.top - M.bottom;
  const n = Math.max(1, labels.length);
  const band = plotW / n;
  const y = (v: number): number => M.top + plotH - (v / top) * plotH;
  const xCentre = (i: number): number => M.left + band * i + band / 2;
  // Label every k-th week so the axis stays readable with many weeks.
  const every = Math.max(1, Math.ceil(n / 8));

  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={titleId}>
        <title id={titleId}>{title}</title>
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              x1={M.left}
              x2={WIDTH - M.right}
              y1={y(tick)}
              y2={y(tick)}
              stroke="var(--mantine-color-gray-3)"
            />
            <text
              x={M.left - 6}
              y={y(tick) + 4}
              fontSize={11}
              textAnchor="end"
              fill="var(--mantine-color-dimmed)"
            >
              {formatValue(tick)}
            </text>
          </g>
        ))}
        {labels.map((label, i) =>
          i % every === 0 ? (
            <text
              key={label}
              x={xCentre(i)}
              y={HEIGHT - M.bottom + 16}
              fontSize={11}
              textAnchor="middle"
              fill="var(--mantine-color-dimmed)"
            >
              {label}
            </text>
          ) : null,
        )}
        {kind === 'bar'
          ? series.map((s, si) => {
              const barW = (band * 0.8) / series.length;
              return (values[s.key] ?? []).map((v, i) =>
                v === null ? null : (
                  <rect
                    key={`${s.key}-${labels[i]}`}
                    x={M.left + band * i + band * 0.1 + barW * si}
                    y={y(v)}
                    width={Math.max(1, barW - 1)}
                    height={Math.max(0, M.top + plotH - y(v))}
                    fill={s.colour}
                  />
                ),
              );
            })
          : series.map((s) => {
              const points = (values[s.key] ?? [])
                .map((v, i) => (v === null ? null : `${xCentre(i)},${y(v)}`))
                .filter((p): p is string => p !== null);
              return (
                <g key={s.key}>
                  <polyline points={points.join(' ')} fill="none" stroke={s.colour} strokeWidth={2} />
                  {points.map((p) => {
                    const [cx, cy] = p.split(',').map(Number);
                    return <circle key={p} cx={cx} cy={cy} r={3} fill={s.colour} />;
                  })}
                </g>
              );
            })}
        <line
          x1={M.left}
          x2={WIDTH - M.right}
          y1={M.top + plotH}
          y2={M.top + plotH}
          stroke="var(--mantine-color-gray-6)"
        />
      </svg>
      <figcaption>
        <Group gap="md" justify="center">
          {series.map((s) => (
            <Group key={s.key} gap={4}>
              <span
                aria-hidden
                style={{
                  display: 'inline-block',
                  width: 12,
                  height: 12,
                  background: s.colour,
                  borderRadius: 2,
                }}
              />
              <Text size="xs">{s.label}</Text>
            </Group>
          ))}
        </Group>
      </figcaption>
    </figure>
  );
}
