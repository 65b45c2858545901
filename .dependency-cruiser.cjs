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

// bench (issue 21 §1)
// The bench reads in the order its data flows: the command line (cli/) plans runs; scenarios/ measure them (no argv,
// no console) and hand back records; analysis/ turns records into figures (pure); output/ prints and draws them.
// Below them, what the scenarios drive: probes of the machine and the wire (probes/), the servers under test
// (servers/), the clients (clients/) and the emulated room they run in (environment/: its delays, a full disk, the
// open-files limit), all resting on the child-process plumbing (processes/) and the core (core/: the record types as
// plain data, the latency recorder). A folder imports only the
// folders after it in this list, never one before it.
const BENCH_LAYERS = [
  "cli",
  "output",
  "scenarios",
  "analysis",
  "probes",
  "servers",
  "clients",
  "environment",
  "processes",
  "core",
];

const benchRules = [
  ...BENCH_LAYERS.slice(1).map((layer, i) => ({
    name: `bench-${layer}-not-up`,
    comment: `bench/${layer}/ imports no layer above it (${BENCH_LAYERS.slice(0, i + 1).join(", ")})`,
    severity: "error",
    from: { path: `^bench/${layer}/` },
    to: { path: `^bench/(${BENCH_LAYERS.slice(0, i + 1).join("|")})/` },
  })),
  {
    name: "bench-in-layers",
    comment: "every bench file lives in one of the layers' folders",
    severity: "error",
    from: { path: "^bench/" },
    to: { path: "^bench/", pathNot: `^bench/(${BENCH_LAYERS.join("|")})/` },
  },
  {
    name: "bench-analysis-pure",
    comment: "analysis/ is pure: records in, figures out; it reads only core/ and shared/, no process, file or socket",
    severity: "error",
    from: { path: "^bench/analysis/" },
    to: {
      pathNot: "^(bench/(analysis|core)/|shared/)",
      dependencyTypesNot: ["npm", "npm-dev"],
    },
  },
  {
    name: "bench-core-plain",
    comment: "core/ holds plain data and leans on nothing of the bench's",
    severity: "error",
    from: { path: "^bench/core/" },
    to: { path: "^bench/", pathNot: "^bench/core/" },
  },
  {
    name: "bench-no-cycle",
    comment: "no import cycle in the bench",
    severity: "error",
    from: { path: "^bench/" },
    to: { circular: true },
  },
];
// end of bench (issue 21 §1)

module.exports = {
  forbidden: [...serverClientsShared, ...benchRules],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".mjs", ".cjs", ".json"] },
  },
};
