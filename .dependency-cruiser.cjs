/**
 * The architecture, written once: which folder may import which. `npm run deps` checks it (and so does npm test,
 * test/repo/checks.test.ts). docs/architecture.md draws the same folders, one line a file.
 * @type {import('dependency-cruiser').IConfiguration}
 */

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
  {
    name: "nothing-imports-bench",
    comment: "the product (server/, clients/, shared/) never leans on its own measurement",
    severity: "error",
    from: { path: "^(server|clients|shared)/" },
    to: { path: "^bench/" },
  },
];

module.exports = {
  forbidden: [...benchRules],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
