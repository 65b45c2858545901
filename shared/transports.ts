/**
 * Every transport the demo shows, each named once, by the id used everywhere: the panes (`data-mode`,
 * `/?left=<id>&right=<id>`), the top bar's links, the server's page routes, `npm start`'s list, the i18n keys
 * (`transport.<id>.*`) and the bench (`npm run bench -- --modes <id>`). Browser-safe: page, server and bench import it.
 *
 * A new transport needs: an entry here; its client in clients/transports/; its pane in clients/page/pane/pane-modes.ts; its
 * words in clients/page/ui/i18n.ts; its bench mode in bench/clients/modes.ts (if `bench`); its route on the server.
 * The compiler refuses a missing pane, missing words or a missing bench mode.
 */

type Transport<Id extends string> = {
  /** The client the student reads, as the docs name it: file and function. */
  client: `clients/transports/${string}.ts: ${string}()`;
  /** It asks on a timer: what it costs depends on the poll interval. */
  polls: boolean;
} & (
  | {
      /** The page showing it alone in one pane, for two tabs or two machines side by side. */
      page: `/${string}`;
      /** Measured by `npm run bench` (bench/clients/modes.ts); a measured transport has a page, for the bench's browser tabs. */
      bench: boolean;
    }
  | {
      /** The slides' version of another transport: no page and no bench mode; its pane has a box to switch to it. */
      slidesVersionOf: Id;
      page: null;
      bench: false;
    }
);

const table = {
  polling: {
    page: "/polling",
    client: "clients/transports/polling.ts: startPolling()",
    polls: true,
    bench: true,
  },
  naive: {
    slidesVersionOf: "polling",
    page: null,
    client: "clients/transports/polling.ts: startNaivePolling()",
    polls: true,
    bench: false,
  },
  socket: {
    page: "/socket",
    client: "clients/transports/socket.ts: connect()",
    polls: false,
    bench: true,
  },
  "naive-socket": {
    slidesVersionOf: "socket",
    page: null,
    client: "clients/transports/socket.ts: naiveConnect()",
    polls: false,
    bench: false,
  },
  conditional: {
    page: "/conditional",
    client: "clients/transports/conditional-polling.ts: startConditionalPolling()",
    polls: true,
    bench: true,
  },
  longpoll: {
    page: "/longpoll",
    client: "clients/transports/long-polling.ts: startLongPolling()",
    polls: false,
    bench: true,
  },
  sse: {
    page: "/sse",
    client: "clients/transports/sse.ts: listen()",
    polls: false,
    bench: true,
  },
} as const;

export type TransportId = keyof typeof table;
/** The registry, in the order the pane's picker and the bench list them. */
export const TRANSPORTS: { readonly [Id in TransportId]: Transport<TransportId> & (typeof table)[Id] } = table;
export const TRANSPORT_IDS = Object.keys(TRANSPORTS) as TransportId[];

type IdsWhere<Shape> = { [Id in TransportId]: (typeof table)[Id] extends Shape ? Id : never }[TransportId];
/** The transports `npm run bench` measures. */
export type BenchId = IdsWhere<{ bench: true }>;
/** The transports with a page of their own. */
type PageId = IdsWhere<{ page: string }>;
/** The slides' versions (the naive polling loop, the lesson's `connect()`). */
type SlidesVersionId = IdsWhere<{ slidesVersionOf: string }>;

/** The pages with one pane (`/polling`, `/socket`…), each with the transport it shows; `/` shows two. */
export const SINGLE_PANE_PAGES: ReadonlyMap<string, PageId> = new Map(
  Object.entries(table).flatMap(([id, { page }]) => (page ? [[page, id as PageId] as const] : [])),
);

/** The two a pane's box switches between, for a transport that has a slides' version or is one. */
export function slidesPair(id: TransportId): { fixed: TransportId; slides: SlidesVersionId } | undefined {
  for (const [slides, entry] of Object.entries(table)) {
    if ("slidesVersionOf" in entry && (id === slides || id === entry.slidesVersionOf)) {
      return { fixed: entry.slidesVersionOf, slides: slides as SlidesVersionId };
    }
  }
  return undefined;
}

/**
 * The i18n keys of a transport's words (clients/page/ui/i18n.ts must have each, in every language): its name in the
 * picker, its pane's title (may use `{interval}`) and blurb; the link to its page; the box that switches to it.
 */
export const labelKey = (id: TransportId, field: "name" | "title" | "blurb") => `transport.${id}.${field}` as const;
export const linkKey = (id: PageId) => `transport.${id}.link` as const;
export const toggleKey = (id: SlidesVersionId) => `transport.${id}.toggle` as const;
export type TransportLabelKey = ReturnType<typeof labelKey | typeof linkKey | typeof toggleKey>;
