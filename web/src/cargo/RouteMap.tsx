import { Text } from '@mantine/core';
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry, LineString, MultiPoint } from 'geojson';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import landTopology from 'world-atlas/land-110m.json' with { type: 'json' };
import { portInfo, portName } from './ports.ts';

const WIDTH = 640;
const HEIGHT = 360;
const PADDING = 28;

// Natural Earth land at 1:110 m, bundled with the application: the map needs no network tiles.
let landCache: FeatureCollection | Feature | null = null;
function land(): FeatureCollection | Feature {
  if (!landCache) {
    const topology = landTopology as unknown as Topology<{ land: GeometryCollection }>;
    landCache = feature(topology, topology.objects.land);
  }
  return landCache;
}

interface RouteMapProps {
  /** UN/LOCODEs in route order: loading, calls and transshipments, discharge. */
  route: string[];
  container: string;
}

/**
 * The container's route drawn over the world's land masses: great-circle legs between the ports
 * (a sketch of the voyage, not the vessel's track). The SVG is an image with a text equivalent;
 * the ordered list of ports below it says the same for screen readers and for ports the table
 * does not place.
 */
export function RouteMap({ route, container }: RouteMapProps) {
  const { t } = useTranslation();
  const titleId = useId();
  const descId = useId();

  const placed = useMemo(
    () =>
      route
        .map((code) => ({ code, info: portInfo(code) }))
        .filter((p): p is { code: string; info: NonNullable<typeof p.info> } => p.info !== undefined),
    [route],
  );
  const missing = route.filter((code) => portInfo(code) === undefined);

  const drawing = useMemo(() => {
    const coordinates = placed.map((p) => [p.info.lon, p.info.lat] as [number, number]);
    if (coordinates.length === 0) return null;
    // Frame the route with some sea around it; a short route still shows its region.
    const lons = coordinates.map((c) => c[0]);
    const lats = coordinates.map((c) => c[1]);
    const margin = 8;
    const frame: MultiPoint = {
      type: 'MultiPoint',
      coordinates: [
        [Math.max(-180, Math.min(...lons) - margin), Math.max(-80, Math.min(...lats) - margin)],
        [Math.min(180, Math.max(...lons) + margin), Math.min(85, Math.max(...lats) + margin)],
        [Math.max(-180, Math.min(...lons) - margin), Math.min(85, Math.max(...lats) + margin)],
        [Math.min(180, Math.max(...lons) + margin), Math.max(-80, Math.min(...lats) - margin)],
      ],
    };
    const projection = geoNaturalEarth1().fitExtent(
      [
        [PADDING, PADDING],
        [WIDTH - PADDING, HEIGHT - PADDING],
      ],
      frame,
    );
    const path = geoPath(projection);
    const line: LineString = { type: 'LineString', coordinates };
    const points = placed.map((p, index) => {
      const xy = projection([p.info.lon, p.info.lat]) ?? [0, 0];
      const role = index === 0 ? 'loading' : index === placed.length - 1 ? 'discharge' : 'call';
      return { code: p.code, x: xy[0], y: xy[1], role, labelDy: -6 };
    });
    // Ports close together on the map (Rotterdam and Antwerp): later labels move below the dot.
    points.forEach((p, i) => {
      const crowded = points
        .slice(0, i)
        .some((q) => Math.abs(q.x - p.x) < 48 && Math.abs(q.y + q.labelDy - (p.y + p.labelDy)) < 14);
      if (crowded) p.labelDy = 16;
    });
    return {
      land: path(land() as Feature<Geometry> | FeatureCollection) ?? '',
      route: coordinates.length > 1 ? (path(line) ?? '') : '',
      points,
    };
  }, [placed]);

  const summary = route.map(portName).join(' → ');

  return (
    <figure style={{ margin: 0 }} data-testid="cargo-route-map">
      {drawing ? (
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          width="100%"
          role="img"
          aria-labelledby={`${titleId} ${descId}`}
          style={{ display: 'block', background: 'var(--mantine-color-blue-0)', borderRadius: 4 }}
        >
          <title id={titleId}>{t('cargo.map.title', { container })}</title>
          <desc id={descId}>{summary}</desc>
          <path
            d={drawing.land}
            fill="var(--mantine-color-gray-3)"
            stroke="var(--mantine-color-gray-5)"
            strokeWidth={0.5}
          />
          {drawing.route && (
            <path
              d={drawing.route}
              fill="none"
              stroke="var(--mantine-color-red-7)"
              strokeWidth={2}
              strokeDasharray="6 3"
            />
          )}
          {drawing.points.map((p) => (
            <g key={`${p.code}-${p.x}-${p.y}`} data-testid="cargo-map-port" data-port={p.code}>
              <circle
                cx={p.x}
                cy={p.y}
                r={p.role === 'call' ? 4 : 6}
                fill={
                  p.role === 'discharge'
                    ? 'var(--mantine-color-indigo-7)'
                    : p.role === 'loading'
                      ? 'var(--mantine-color-red-7)'
                      : 'white'
                }
                stroke="var(--mantine-color-dark-6)"
                strokeWidth={1.5}
              />
              <text
                x={p.x + 8}
                y={p.y + p.labelDy}
                fontSize={12}
                fontWeight={600}
                fill="var(--mantine-color-dark-8)"
                stroke="white"
                strokeWidth={3}
                paintOrder="stroke"
              >
                {p.code}
              </text>
            </g>
          ))}
        </svg>
      ) : null}
      <figcaption>
        <Text size="xs" c="dimmed" mt={4}>
          {t('cargo.map.legend')}
        </Text>
        <ol
          aria-label={t('cargo.map.portsLabel')}
          style={{ margin: '4px 0 0', paddingLeft: 20, fontSize: 'var(--mantine-font-size-sm)' }}
        >
          {route.map((code, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a port can appear twice on a route; the order is the identity.
            <li key={`${code}-${index}`}>
              {portName(code)}
              {index === 0
                ? ` — ${t('cargo.map.loading')}`
                : index === route.length - 1
                  ? ` — ${t('cargo.map.discharge')}`
                  : ''}
            </li>
          ))}
        </ol>
        {missing.length > 0 && (
          <Text size="xs" c="dimmed">
            {t('cargo.map.notPlaced', { ports: missing.join(', ') })}
          </Text>
        )}
      </figcaption>
    </figure>
  );
}
