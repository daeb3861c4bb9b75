import { Alert, Box, Button, Group, Text } from '@mantine/core';
import { MultiDirectedGraph } from 'graphology';
import forceAtlas2Module from 'graphology-layout-forceatlas2';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import Sigma from 'sigma';
import type { TraceResult } from '../api/finance.ts';
import {
  categoryColour,
  formatAmount,
  formatUnixTime,
  SOURCE_COLOUR,
  shortId,
  TX_COLOUR,
  UNTAGGED_COLOUR,
} from './format.ts';
import { useCategoryLabel } from './useCategoryLabel.ts';

// The package is CommonJS with an ES-style declaration: the bundler hands over module.exports itself,
// while the declaration promises it under `default`. Accept both.
const forceAtlas2 =
  (forceAtlas2Module as unknown as { default?: typeof forceAtlas2Module.default }).default ??
  (forceAtlas2Module as unknown as typeof forceAtlas2Module.default);

/** Beyond this many nodes the drawing is unreadable and slow; the tables and exports still have it all. */
export const MAX_DRAWN_NODES = 3000;
/** Enough for forceatlas2 to settle a trace of a few hundred nodes; bounded so the page stays responsive. */
const LAYOUT_ITERATIONS = 150;
/** Up to this many nodes every node (and so every edge) is labelled. */
const SMALL_GRAPH = 60;

export interface TraceGraphHandle {
  /** The renderer, for the PNG export; null when nothing is drawn. */
  sigma(): Sigma | null;
}

interface TraceGraphProps {
  result: TraceResult;
}

/** Builds the graph: positions start on a circle (deterministic), then forceatlas2 spreads them. */
function buildGraph(
  result: TraceResult,
  label: (category: string | null) => string,
  language: string,
): MultiDirectedGraph {
  const graph = new MultiDirectedGraph();
  const n = result.nodes.length;
  result.nodes.forEach((node, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, n);
    const source = node.hop === 0 && node.kind !== 'tx';
    const name = node.kind === 'tx' ? shortId(node.id, 4) : shortId(node.id, 6);
    graph.addNode(node.key, {
      x: Math.cos(angle) * (1 + node.hop),
      y: Math.sin(angle) * (1 + node.hop),
      size: source ? 12 : node.kind === 'tx' ? 4 : node.category ? 9 : 6,
      color: source
        ? SOURCE_COLOUR
        : node.kind === 'tx'
          ? TX_COLOUR
          : node.category
            ? categoryColour(node.category)
            : UNTAGGED_COLOUR,
      label: node.category ? `${name} · ${label(node.category)}` : name,
      // Sigma draws an edge's label only when both ends show theirs: small traces label everything.
      forceLabel: source || node.category !== null || n <= SMALL_GRAPH,
      highlighted: source,
    });
  });
  for (const edge of result.edges) {
    if (!graph.hasNode(edge.from) || !graph.hasNode(edge.to)) continue;
    graph.addEdge(edge.from, edge.to, {
      size: edge.tainted > 0 ? 2 : 1,
      color: edge.tainted > 0 ? '#e8590c' : '#adb5bd',
      label: `${formatAmount(edge.tainted > 0 ? edge.tainted : edge.value, result.unit, language)} · ${formatUnixTime(edge.time, language)}`,
    });
  }
  if (graph.order > 1) {
    forceAtlas2.assign(graph, {
      iterations: LAYOUT_ITERATIONS,
      settings: { ...forceAtlas2.inferSettings(graph), barnesHutOptimize: graph.order > 500 },
    });
  }
  return graph;
}

/**
 * The trace drawn with sigma.js (WebGL) over graphology. The canvas is not keyboard-operable by
 * nature: zoom buttons are offered, and the table beside it lists the same nodes and edges.
 */
export const TraceGraph = forwardRef<TraceGraphHandle, TraceGraphProps>(function TraceGraph({ result }, ref) {
  const { t, i18n } = useTranslation();
  const label = useCategoryLabel();
  const container = useRef<HTMLDivElement>(null);
  const renderer = useRef<Sigma | null>(null);
  const [failed, setFailed] = useState(false);
  const tooLarge = result.nodes.length > MAX_DRAWN_NODES;
  const language = i18n.language;
  const graph = useMemo(
    () => (tooLarge ? null : buildGraph(result, label, language)),
    [result, label, language, tooLarge],
  );

  useImperativeHandle(ref, () => ({ sigma: () => renderer.current }), []);

  useEffect(() => {
    if (!graph || !container.current) return;
    let sigma: Sigma | null = null;
    try {
      sigma = new Sigma(graph, container.current, {
        renderEdgeLabels: true,
        defaultEdgeType: 'arrow',
        labelRenderedSizeThreshold: 8,
        edgeLabelSize: 11,
        labelSize: 12,
        zIndex: true,
      });
      renderer.current = sigma;
      setFailed(false);
    } catch {
      // No WebGL (or a lost context): the tables carry the same information.
      setFailed(true);
    }
    return () => {
      renderer.current = null;
      sigma?.kill();
    };
  }, [graph]);

  const categories = [...new Set(result.nodes.map((n) => n.category).filter((c): c is string => c !== null))];
  const camera = () => renderer.current?.getCamera();

  if (tooLarge) {
    return (
      <Alert color="yellow" data-testid="finance-graph-too-large">
        {t('finance.graph.tooLarge', { count: result.nodes.length, max: MAX_DRAWN_NODES })}
      </Alert>
    );
  }
  return (
    <Box>
      {failed && (
        <Alert color="yellow" mb="xs" data-testid="finance-graph-unavailable">
          {t('finance.graph.unavailable')}
        </Alert>
      )}
      <Box
        ref={container}
        role="img"
        aria-label={t('finance.graph.label', { nodes: result.nodes.length, edges: result.edges.length })}
        data-testid="finance-trace-graph"
        data-nodes={graph?.order ?? 0}
        data-edges={graph?.size ?? 0}
        h={460}
        bg="white"
        style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}
      />
      <Group justify="space-between" mt={6} gap="xs">
        <Group gap={4}>
          <Button size="compact-xs" variant="default" onClick={() => void camera()?.animatedZoom(1.5)}>
            {t('finance.graph.zoomIn')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={() => void camera()?.animatedUnzoom(1.5)}>
            {t('finance.graph.zoomOut')}
          </Button>
          <Button size="compact-xs" variant="default" onClick={() => void camera()?.animatedReset()}>
            {t('finance.graph.reset')}
          </Button>
        </Group>
        <Group gap="sm" aria-label={t('finance.graph.legend')} role="group">
          <LegendEntry colour={SOURCE_COLOUR} text={t('finance.graph.source')} />
          <LegendEntry colour={UNTAGGED_COLOUR} text={t('finance.graph.untagged')} />
          <LegendEntry colour={TX_COLOUR} text={t('finance.graph.transaction')} />
          {categories.map((c) => (
            <LegendEntry key={c} colour={categoryColour(c)} text={label(c)} />
          ))}
        </Group>
      </Group>
    </Box>
  );
});

function LegendEntry({ colour, text }: { colour: string; text: string }) {
  return (
    <Group gap={4} wrap="nowrap">
      <span
        aria-hidden
        style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: colour }}
      />
      <Text size="xs">{text}</Text>
    </Group>
  );
}
