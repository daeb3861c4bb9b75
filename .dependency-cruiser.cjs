/**
 * Module boundaries of DESIGN.md, checked on every `npm run check`.
 * A domain is a folder under src/ other than platform, identifiers, server and cli.
 */
const DOMAINS =
  'access|audit|identity|sharing|federation|cargo|finance|entities|ports|alliance|release|reporting|demo';

module.exports = {
  forbidden: [
    {
      name: 'platform-is-domain-free',
      comment: 'platform and identifiers are the foundation: they import no domain, no server, no cli.',
      severity: 'error',
      from: { path: '^src/(platform|identifiers)/' },
      to: { path: `^src/(${DOMAINS}|server|cli)/` },
    },
    {
      name: 'domains-do-not-import-server-or-cli',
      severity: 'error',
      from: { path: `^src/(${DOMAINS})/`, pathNot: '^src/demo/' },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'domains-use-each-other-through-index',
      comment: "A module uses another module only through that module's index.ts.",
      severity: 'error',
      from: { path: `^src/(${DOMAINS}|identifiers)/` },
      to: {
        path: `^src/(${DOMAINS}|identifiers)/`,
        pathNot: ['^src/$1/', `^src/(${DOMAINS}|identifiers)/index\\.ts$`],
      },
    },
    {
      name: 'access-owns-no-domain-tables',
      comment: 'access decides; it never reaches into a domain store.',
      severity: 'error',
      from: { path: '^src/access/' },
      to: { path: '\\.store\\.ts$', pathNot: '^src/access/' },
    },
    {
      name: 'web-shares-only-contracts',
      comment: 'The web UI talks HTTP; it never imports server code.',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: '\\.schema\\.ts$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs'] },
  },
};
