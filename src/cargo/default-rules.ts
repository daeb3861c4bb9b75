/**
 * The built-in rule set: combinations of indicators that analysts weigh more than their sum
 * (an additive score underrates a conjunction), plus one time-boxed priority control area as an
 * example of the format. Kept as YAML text, the format analysts edit, and compiled like any
 * other rule set.
 */
import { BUILTIN_INDICATORS } from './indicators.ts';
import { type CompiledRuleSet, compileRuleSet, parseRuleSet, type RuleSetDoc } from './rules.ts';

export const DEFAULT_RULES_YAML = `
version: 1
name: PortShield built-in targeting rules
rules:
  - id: new-importer-risky-cover
    name: New importer of a cover commodity from a source region
    description: >-
      A consignee first seen less than six months ago imports a typical cover commodity
      (fresh fruit, coffee, shrimp, juice) loaded or transshipped at a high-risk port — the
      front-company pattern described by Europol (Criminal networks in EU ports, 2023).
    weight: 15
    when:
      all:
        - field: indicator.new-consignee
          eq: true
        - field: indicator.high-risk-port
          eq: true
        - field: indicator.cover-commodity
          eq: true

  - id: risky-route-seal-anomaly
    name: Seal anomaly on a container from a source region
    description: >-
      The seal is reused, malformed or missing on a container that passed through a high-risk
      port: consistent with a rip-on/rip-off, where the original seal is replaced after the
      drugs are added to a legitimate load (EMCDDA/Europol, EU Drug Markets: Cocaine, 2022).
    weight: 20
    when:
      all:
        - field: indicator.seal-anomaly
          eq: true
        - field: route.ports
          inList: high-risk-ports

  - id: risky-route-unusual-transshipment
    name: Unusual transshipment on a route touching a source region
    description: >-
      The container went through a transshipment port rarely used on its lane, on a route
      that touches a high-risk port: a way to blur the origin or to give a port team access.
    weight: 12
    when:
      all:
        - field: indicator.unusual-transshipment
          eq: true
        - field: route.ports
          inList: high-risk-ports

  - id: late-change-and-third-party-payer
    name: Late consignee change and freight paid by a third party
    description: >-
      The consignee or notify party was changed late and the freight is paid by someone
      outside the trade: together, a strong sign that the goods are being redirected.
    weight: 15
    when:
      all:
        - field: indicator.late-party-amendment
          eq: true
        - field: freight.payerRole
          eq: third-party

  - id: fresh-company-source-country
    name: Shipper and consignee both new on a source-country lane
    description: >-
      Neither the shipper nor the consignee has any history with the service and the goods
      leave from a source or transit country.
    weight: 8
    when:
      all:
        - field: history.shipper.shipments
          eq: 0
        - field: history.consignee.shipments
          eq: 0
        - field: route.loadingCountry
          inList: source-countries

  - id: unknown-notify-risky-route
    name: Unknown notify party on a route through a source region
    description: >-
      The notify party (who is told of the arrival and usually takes delivery) is not the
      consignee and has never been seen before, on a container from or through a high-risk
      port: collection by an unknown party is how extraction teams get hold of a container
      (Europol, Criminal networks in EU ports, 2023).
    weight: 10
    when:
      all:
        - field: notify.sameAsConsignee
          eq: false
        - field: history.notify.ageDays
          lt: 1
        - field: route.ports
          inList: high-risk-ports

  - id: pca-ecuador-fruit-2024h2
    name: "Priority control area: fresh fruit from Ecuador to Antwerp and Rotterdam (2nd half 2024)"
    description: >-
      Time-boxed priority control area: fresh fruit loaded in Ecuador for Antwerp or
      Rotterdam gets a small uplift while the operation runs.
    weight: 3
    scope:
      ports: [BEANR, NLRTM]
    validFrom: 2024-07-01T00:00:00Z
    validTo: 2025-01-01T00:00:00Z
    when:
      all:
        - field: route.loadingCountry
          eq: EC
        - field: goods.hsChapter
          eq: "08"
`;

export function defaultRuleSet(): RuleSetDoc {
  return parseRuleSet(DEFAULT_RULES_YAML, { indicatorIds: BUILTIN_INDICATORS.map((i) => i.id) });
}

export function compileDefaultRules(): CompiledRuleSet {
  const ids = BUILTIN_INDICATORS.map((i) => i.id);
  return compileRuleSet(parseRuleSet(DEFAULT_RULES_YAML, { indicatorIds: ids }), { indicatorIds: ids });
}
