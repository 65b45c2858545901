/**
 * The architecture as rules (docs/architecture.md draws it): each folder imports only the layers below it, and
 * nothing imports in a circle. `npm run deps` checks them; test/repo/checks.test.ts runs it in `npm test`.
 * Type-only imports count as ties too, except in the cycle rule (a cycle through `import type` never runs).
 */

// server, clients, shared (issue 21 §2)
// The server's layers, bottom to top; a layer may import those before it, never one after it:
//   shared/ -> server/config.ts, server/limits/ -> chat/ -> guard/ -> transports/ -> class/ -> counting/
//   -> routes/, delivery.ts -> app.ts -> the edges (node/, deno/, scale-out/, chat-factory.ts).
const serverLayers = [
  ["server/(config\\.ts|limits/)", "settings and named limits"],
  ["server/chat/", "the chat: messages, history, broker"],
  ["server/guard/", "what the server refuses"],
  ["server/transports/", "the ways a message goes out"],
  ["server/class/", "the teacher's room"],
  ["server/counting/", "what the server counts"],
  ["server/(routes/|delivery\\.ts)", "the app's parts"],
  ["server/app\\.ts", "createApp"],
  ["server/(node/|deno/|scale-out/|chat-factory\\.ts)", "the runtime edges, and which chat they build"],
];
const upward = serverLayers.slice(0, -1).map(([layer, what], index) => ({
  name: `server-layer-${index}-imports-up`,
  comment: `${layer} (${what}) must not import a layer above it`,
  severity: "error",
  from: { path: `^${layer}` },
  to: {
    path: `^(${serverLayers
      .slice(index + 1)
      .map(([above]) => above)
      .join("|")})`,
  },
}));

const serverClientsShared = [
  ...upward,
  {
    name: "no-cycles",
    comment: "no import cycle that runs (type-only imports are erased, so a cycle through one never runs)",
    severity: "error",
    from: { path: "^(server|clients|shared)/" },
    to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
  },
  {
    name: "shared-imports-only-shared",
    comment: "shared/ is the wire format both sides speak: it imports neither side",
    severity: "error",
    from: { path: "^shared/" },
    to: { path: "^(server|clients|bench)/" },
  },
  {
    name: "clients-never-import-server",
    comment: "the browser code speaks to the server over the wire (shared/), never by import",
    severity: "error",
    from: { path: "^clients/" },
    to: { path: "^(server|bench)/" },
  },
  {
    name: "client-transports-stand-alone",
    comment: "clients/transports/ are the lesson's loops: they know nothing of the page that shows them",
    severity: "error",
    from: { path: "^clients/transports/" },
    to: { path: "^clients/(page|class)/" },
  },
  {
    name: "page-ui-is-the-bottom",
    comment: "clients/page/ui/ (i18n, dom, numbers) is what the page's rooms share: it imports none of them",
    severity: "error",
    from: { path: "^clients/page/ui/" },
    to: { path: "^clients/page/(pane/|presenter/|page\\.ts)" },
  },
  {
    name: "pane-and-presenter-apart",
    comment: "a pane and the presenter are side by side: page.ts puts them together",
    severity: "error",
    from: { path: "^clients/page/(pane|presenter)/" },
    to: { path: "^clients/page/page\\.ts" },
  },
  {
    name: "pane-not-presenter",
    severity: "error",
    from: { path: "^clients/page/pane/" },
    to: { path: "^clients/page/presenter/" },
  },
  {
    name: "presenter-not-pane",
    severity: "error",
    from: { path: "^clients/page/presenter/" },
    to: { path: "^clients/page/pane/" },
  },
  {
    name: "server-and-clients-never-import-bench",
    comment: "bench/ measures the server from outside",
    severity: "error",
    from: { path: "^(server|clients|shared)/" },
    to: { path: "^bench/" },
  },
];
// end of server, clients, shared (issue 21 §2)

module.exports = {
  forbidden: [...serverClientsShared],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".cjs", ".json"] },
  },
};
