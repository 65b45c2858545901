import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SLIDES } from "../../clients/page/presenter/slides.ts";
import { banner, inView, readPanes, readRoster, type PaneView } from "./look.ts";
import { launchChromium, openScreen, startServer, studentRelay, type Screen, type ServerProcess } from "./room.ts";

/** What one step showed, and what was wrong with it. */
export interface StepReport {
  step: number;
  title: string;
  /** What the class saw, in a few lines. */
  saw: string[];
  screenshots: string[];
  problems: string[];
  /** Known gaps owned by another branch: reported, not failed. */
  notes: string[];
}

export interface RehearsalOptions {
  /** Where the screenshots go (test-results/rehearsal/). */
  outDir: string;
  /** Told each step as it ends (npm run rehearse prints it). */
  onStep?: (report: StepReport) => void;
}

/** How long a check may wait for the room to settle (a reading a second; a pane forgotten PANE_SEEN_MS after). */
const SETTLE_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function settle<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = SETTLE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < deadline) {
    await sleep(250);
    value = await read();
  }
  return value;
}

/** The class view's transport for a pane's mode: the server cannot tell the slides' connect() from the fixed one. */
const charted = (mode: string) => (mode === "naive-socket" ? "socket" : mode);

/**
 * The whole lesson, played as the walkthrough says, on a real `npm start` (restarted at step 6, with --https at step
 * 10): a projector in presenter mode in English (the server's own machine) and one in Turkish (the teacher's second
 * device, through the teacher URL), the class view on the projector and on a phone, and two students from another
 * address. Each step does the slide's RUN action, then checks what every open pane and the class view show.
 */
export async function rehearse(options: RehearsalOptions): Promise<StepReport[]> {
  mkdirSync(options.outDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), "rehearsal-"));
  const browser = await launchChromium();
  let server: ServerProcess = await startServer(dataDir, 0);
  const port = server.port;
  const relay = await studentRelay(() => port);
  const secureRelay = await studentRelay(() => server.httpsPort ?? port);
  const reports: StepReport[] = [];
  const screens: Screen[] = [];
  const base = () => `http://127.0.0.1:${port}`;
  try {
    const projector = await openScreen(browser, "projector (EN)", `${base()}/?present`, {
      language: "en",
      viewport: { width: 1024, height: 768 },
    });
    const secondDevice = await openScreen(
      browser,
      "teacher's laptop (TR)",
      `${relay.url}/?teacher=${server.token}&present`,
      {
        language: "tr",
        viewport: { width: 1280, height: 800 },
      },
    );
    const classView = await openScreen(browser, "class view (EN)", `${base()}/class`, {
      language: "en",
      viewport: { width: 1280, height: 800 },
      panes: false,
    });
    const phoneClass = await openScreen(browser, "class view on a phone (TR)", `${relay.url}/class`, {
      language: "tr",
      viewport: { width: 390, height: 844 },
      panes: false,
    });
    const studentPhone = await openScreen(browser, "student's phone (EN)", `${relay.url}/socket`, {
      language: "en",
      viewport: { width: 390, height: 844 },
    });
    const studentLaptop = await openScreen(browser, "student's laptop (TR)", `${relay.url}/`, {
      language: "tr",
      viewport: { width: 1280, height: 800 },
    });
    screens.push(projector, secondDevice, classView, phoneClass, studentPhone, studentLaptop);
    const presenters = [projector, secondDevice];
    const withPanes = () => screens.filter((screen) => screen.panes);
    await projector.page.locator("aside.slides").waitFor();
    await secondDevice.page.locator("aside.slides").waitFor();

    /** Every message the room posted since the last new chat, by text: each must be on every pane exactly once. */
    let posted: string[] = [];
    let postCount = 0;
    /** A student types a line and presses Send, in the first pane of their laptop. */
    const post = async (label: string) => {
      const text = `${label} #${++postCount}`;
      const pane = studentLaptop.page.locator("main .pane").first();
      await pane.locator("form.send input").fill(text);
      await pane.locator("form.send button").click();
      posted.push(text);
      return text;
    };

    const report = (step: number): StepReport => {
      const slide = SLIDES[step - 1]!;
      return { step, title: slide.text.en.title, saw: [], screenshots: [], problems: [], notes: [] };
    };
    const shot = async (r: StepReport, screen: Screen, suffix = "") => {
      const file = join(options.outDir, `${String(r.step).padStart(2, "0")}-${SLIDES[r.step - 1]!.id}${suffix}.png`);
      await screen.page.screenshot({ path: file });
      r.screenshots.push(file);
    };
    const panesOf = async (screen: Screen) => ({ screen, panes: await readPanes(screen.page) });

    /** The checks every step ends with, on every pane and the class view. */
    const checkRoom = async (r: StepReport, { messages = true, stats = true } = {}) => {
      // Every text posted is on every pane exactly once (the naive loop's repeats are marked "again").
      const everyPaneHasAll = async () => {
        const all = await Promise.all(withPanes().map(panesOf));
        const missing = all.flatMap(({ screen, panes }) =>
          panes.flatMap((pane) =>
            posted
              .filter((text) => pane.messages.filter((m) => m.text === text && !m.again).length !== 1)
              .map(
                (text) =>
                  `${screen.name} ${pane.mode}: "${text}" shown ${pane.messages.filter((m) => m.text === text && !m.again).length}×`,
              ),
          ),
        );
        return { all, missing };
      };
      const { all, missing } = messages
        ? await settle(everyPaneHasAll, ({ missing }) => missing.length === 0)
        : await everyPaneHasAll();
      r.problems.push(...missing);
      for (const { screen, panes } of all) {
        for (const pane of panes) {
          const where = `${screen.name} ${pane.mode}`;
          const { requests = 0, empty = 0, received = 0, sent = 0 } = pane.values;
          for (const [name, value] of Object.entries({ requests, empty, received, sent }))
            if (value < 0) r.problems.push(`${where}: ${name} is negative (${value})`);
          if (empty > requests) r.problems.push(`${where}: empty answers ${empty} > requests ${requests}`);
          const firsts = pane.messages.filter((m) => !m.again).map((m) => m.id);
          if (new Set(firsts).size !== firsts.length) r.problems.push(`${where}: a message is on screen twice`);
          if (pane.mode !== "naive" && pane.shown !== pane.unique)
            r.problems.push(`${where}: shown ${pane.shown} ≠ unique ${pane.unique}`);
          if (pane.shown < pane.unique) r.problems.push(`${where}: shown ${pane.shown} < unique ${pane.unique}`);
          if (!pane.newestInView)
            r.notes.push(`${where}: the newest message is below the fold of its list (issue 22's branch, i22)`);
          if (stats && !pane.restarted && pane.paneId) {
            // The counters agree with the server's own figures (GET /stats/pane/<id>), give or take the requests
            // made since the pane's last reading (one a second; a busy machine may lag a reading or two).
            const url = `http://127.0.0.1:${port}/stats/pane/${pane.paneId}`;
            const compare = async () => {
              const [totals, now] = await Promise.all([
                fetch(url).then((answer) => answer.json() as Promise<{ requests: number }>),
                readPanes(screen.page).then((panes) => panes.find((p) => p.paneId === pane.paneId)),
              ]);
              const shown = (now?.values.requests ?? 0) + (now?.historyRequests ?? 0);
              return { totals: totals.requests, shown, behind: totals.requests - shown };
            };
            const agreed = await settle(compare, ({ behind }) => behind >= 0 && behind <= 3).catch(() => undefined);
            if (agreed && (agreed.behind < 0 || agreed.behind > 3))
              r.problems.push(`${where}: requests ${agreed.shown} (history included) vs /stats ${agreed.totals}`);
          }
        }
      }
      // "Who is here" on the class view equals the panes open, per transport, on the projector and on a phone.
      const open: Record<string, number> = {};
      for (const { panes } of all)
        for (const pane of panes) open[charted(pane.mode)] = (open[charted(pane.mode)] ?? 0) + 1;
      const same = (roster: Record<string, number>) =>
        Object.keys({ ...roster, ...open }).every((id) => (roster[id] ?? 0) === (open[id] ?? 0));
      for (const view of [classView, phoneClass]) {
        const roster = await settle(() => readRoster(view.page), same);
        if (!same(roster))
          r.problems.push(`${view.name}: who is here ${JSON.stringify(roster)}, panes open ${JSON.stringify(open)}`);
      }
      r.saw.push(
        `who is here: ${Object.entries(open)
          .map(([id, n]) => `${id} ${n}`)
          .join(", ")}`,
      );
      const lesson = all[0]!.panes;
      for (const pane of lesson)
        r.saw.push(
          `projector ${pane.mode}: requests ${pane.text.requests}, empty ${pane.text.empty}, received ${pane.text.received}, sent ${pane.text.sent}, latency median ${pane.text["latency-median"]}, shown/unique ${pane.text.shown}`,
        );
      // The slide is on screen, in each presenter's language.
      for (const screen of presenters) {
        const title = SLIDES[r.step - 1]!.text[screen.language].title;
        const visible = await screen.page.locator("aside.slides .slide h2").first().textContent();
        if (visible !== title) r.problems.push(`${screen.name}: slide "${visible}", expected "${title}"`);
        if (!(await inView(screen.page, "aside.slides .slide h2")))
          r.problems.push(`${screen.name}: the slide's title is not in view`);
      }
    };

    /** The next slide on both projectors; their slides set the bot, the modes and the handshake panel. */
    const next = async (step: number) => {
      for (const screen of presenters) {
        await screen.page.keyboard.press("PageDown");
        await screen.page.locator(`aside.slides .slide[data-slide="${SLIDES[step - 1]!.id}"]`).waitFor();
      }
      await sleep(300); // the slide's bot POST and the panes' restarts
    };
    const done = (r: StepReport) => {
      reports.push(r);
      options.onStep?.(r);
    };
    const botRate = async () => ((await (await fetch(`http://127.0.0.1:${port}/bot`)).json()) as { rate: number }).rate;

    // 1. The chat, with polling: a message sent in one pane shows up in every pane, on every machine.
    {
      const r = report(1);
      await post("merhaba from the back row");
      await checkRoom(r);
      await shot(r, projector);
      await shot(r, classView, "-class");
      done(r);
    }
    // 2. The naive loop: its repeats dimmed and counted, the fixed pane once.
    {
      const r = report(2);
      await next(2);
      await post("naive or not");
      const repeats = await settle(
        () => readPanes(projector.page),
        (panes) => panes.some((pane) => pane.messages.some((m) => m.again)),
      );
      const naive = repeats.find((pane) => pane.mode === "naive");
      if (!naive?.messages.some((m) => m.again)) r.problems.push("projector: the naive pane shows no repeat");
      if (!(await inView(projector.page, "main .pane .messages li.again")))
        r.notes.push("projector: the naive pane's repeats are below the fold (the list's scrolling: i22)");
      r.saw.push(`naive pane: shown/unique ${naive?.text.shown}`);
      await checkRoom(r);
      await shot(r, secondDevice, "-tr");
      done(r);
    }
    // 3. Counting the cost: idle, then the bot on; the latency medians cannot show the lesson backwards.
    {
      const r = report(3);
      await next(3);
      await sleep(2500); // idle: polling's requests and empty answers climb, the socket's stay still
      const idle = await readPanes(projector.page);
      const socketIdle = idle.find((pane) => pane.mode === "socket");
      if (socketIdle && (socketIdle.values.requests ?? 0) > 1)
        r.problems.push(`projector socket: ${socketIdle.values.requests} requests while idle`);
      // "then switch the chat bot on" (from the class view, as a teacher would).
      await classView.page.locator("#class-bot-rate").fill("5");
      await classView.page.locator("#class-bot").check();
      const medians = await settle(
        () => readPanes(projector.page),
        (panes) => panes.every((pane) => pane.text["latency-median"] !== "–"),
        15_000,
      );
      const ms = (pane?: PaneView) => Number((pane?.text["latency-median"] ?? "").replace(/[^\d].*$/, "")) || NaN;
      const [polling, socket] = [medians.find((p) => p.mode === "polling"), medians.find((p) => p.mode === "socket")];
      if (!(ms(polling) > ms(socket)))
        r.problems.push(
          `latency medians backwards: polling ${polling?.text["latency-median"]}, socket ${socket?.text["latency-median"]}`,
        );
      await classView.page.locator("#class-bot").uncheck();
      await checkRoom(r);
      await shot(r, projector);
      await shot(r, classView, "-class");
      done(r);
    }
    // 4. The handshake: the proof ("✓ matches") in view.
    {
      const r = report(4);
      await next(4);
      for (const screen of presenters) {
        await screen.page.locator(".accept .verdict").waitFor();
        if ((await screen.page.locator(".accept .verdict").getAttribute("data-match")) !== "true")
          r.problems.push(`${screen.name}: the accept does not match`);
        if (!(await inView(screen.page, ".accept .verdict")))
          r.problems.push(`${screen.name}: "✓ matches" is not in view`);
      }
      r.saw.push(`handshake: ${await projector.page.locator(".accept .verdict").textContent()}`);
      await checkRoom(r);
      await shot(r, projector);
      done(r);
    }
    // 5. The socket server, the bot at 5 a second.
    {
      const r = report(5);
      await next(5);
      await post("five a second");
      await sleep(1500);
      await checkRoom(r);
      await shot(r, projector);
      done(r);
    }
    // 6. Reconnecting: the server stopped (Ctrl+C) and started again, same port and data.
    {
      const r = report(6);
      await next(6);
      await post("before the restart");
      await checkRoom(r, { stats: true });
      await server.stop();
      for (const screen of screens) {
        const line = await settle(
          () => banner(screen.page),
          (text) => /\d/.test(text) && text.length > 0,
        );
        if (!line) r.problems.push(`${screen.name}: nothing says the server is away`);
      }
      await sleep(1500);
      const down = await banner(projector.page);
      r.saw.push(`while down: "${down}"`);
      await shot(r, projector, "-down");
      server = await startServer(dataDir, port);
      for (const screen of screens) {
        const line = await settle(
          () => banner(screen.page),
          (text) => !/not answering|cevap vermiyor/.test(text),
          20_000,
        );
        if (/not answering|cevap vermiyor/.test(line)) r.problems.push(`${screen.name}: still says the server is away`);
      }
      if ((await botRate()) !== 1)
        r.problems.push(`the bot came back at ${await botRate()} a second, not the slide's 1`);
      // The teacher's second device keeps its controls: its token is still the server's.
      const teacher = await secondDevice.page.evaluate(async () => {
        const token = localStorage.getItem("teacher-token") ?? "";
        const answer = await fetch("/class/teacher", { headers: { "x-teacher-token": token } });
        return ((await answer.json()) as { teacher: boolean }).teacher;
      });
      if (!teacher) r.problems.push("the teacher's second device lost its controls");
      await post("after the restart");
      await sleep(2000); // a reading or two after the restart: the counters must carry on, never negative
      await checkRoom(r, { stats: false });
      r.saw.push(`after: "${await banner(projector.page)}"; the bot at ${await botRate()}/s`);
      await shot(r, projector);
      await shot(r, studentPhone, "-phone");
      done(r);
    }
    // 7. Long polling and SSE.
    {
      const r = report(7);
      await next(7);
      await post("long poll or stream");
      await checkRoom(r, { stats: false });
      await shot(r, projector);
      done(r);
    }
    // 8. When polling is the right answer; and a new chat before the last part.
    {
      const r = report(8);
      await next(8);
      await classView.page.locator("button.new-chat").click();
      posted = [];
      for (const screen of withPanes()) {
        const panes = await settle(
          () => readPanes(screen.page),
          (panes) => panes.every((pane) => pane.notice !== ""),
        );
        for (const pane of panes) {
          if (!pane.notice) r.problems.push(`${screen.name} ${pane.mode}: nothing says a new chat started`);
          const old = pane.messages.filter((m) => /restart|five a second|long poll/.test(m.text));
          if (old.length > 0)
            r.problems.push(`${screen.name} ${pane.mode}: still shows the old chat ("${old[0]!.text}")`);
        }
      }
      if (!(await inView(classView.page, ".new-chat-done")))
        r.problems.push("class view: nothing says a new chat started");
      await post("a fresh start");
      await checkRoom(r, { stats: false });
      r.saw.push(`new chat: "${(await readPanes(projector.page))[0]?.notice}"`);
      await shot(r, projector);
      await shot(r, classView, "-class");
      done(r);
    }
    // 9. Scaling out: the slide (its RUN is another program, npm run start:cluster).
    {
      const r = report(9);
      await next(9);
      await checkRoom(r, { stats: false });
      await shot(r, projector);
      done(r);
    }
    // 10. npm start -- --https: every screen moves to https://; the socket's bytes are counted, the class view counts
    // every client over TLS and shows the https address.
    {
      const r = report(10);
      await server.stop();
      server = await startServer(dataDir, port, true);
      const https = `https://127.0.0.1:${server.httpsPort}`;
      const studentHttps = `https://127.0.0.1:${secureRelay.port}`;
      await projector.page.goto(`${https}/?present=10`);
      await secondDevice.page.goto(`${studentHttps}/?teacher=${server.token}&present=10`);
      await classView.page.goto(`${https}/class`);
      await phoneClass.page.goto(`${studentHttps}/class`);
      await studentPhone.page.goto(`${studentHttps}/socket`);
      await studentLaptop.page.goto(`${studentHttps}/`);
      await projector.page.locator(`aside.slides .slide[data-slide="http2"]`).waitFor();
      await secondDevice.page.locator(`aside.slides .slide[data-slide="http2"]`).waitFor();
      posted = [];
      await post("over TLS");
      const panes = await settle(
        () => readPanes(projector.page),
        (panes) => panes.every((pane) => pane.text.protocol !== "–" && /[1-9]/.test(pane.text.received ?? "")),
      );
      const socket = panes.find((pane) => pane.mode === "socket");
      const polling = panes.find((pane) => pane.mode === "polling");
      if (polling?.text.protocol !== "h2")
        r.problems.push(`projector polling: protocol ${polling?.text.protocol}, not h2`);
      if (!socket || !/[1-9]/.test(socket.text.received ?? "") || (socket.values.received ?? 0) <= 0)
        r.problems.push(`projector socket over wss: received ${socket?.text.received}`);
      for (const view of [classView, phoneClass]) {
        const address = await view.page.locator(".join-url").textContent();
        if (!address?.startsWith("https://")) r.problems.push(`${view.name}: join address ${address}`);
      }
      r.saw.push(`over TLS: polling ${polling?.text.protocol}, socket received ${socket?.text.received}`);
      await checkRoom(r, { stats: false });
      await shot(r, projector);
      await shot(r, classView, "-class");
      await shot(r, phoneClass, "-phone");
      done(r);
    }
    return reports;
  } catch (error) {
    // What each screen showed when the rehearsal broke off, beside the steps' own screenshots.
    for (const [i, screen] of screens.entries())
      await screen.page.screenshot({ path: join(options.outDir, `failed-${i}.png`) }).catch(() => {});
    throw error;
  } finally {
    await browser.close();
    await server.stop();
    relay.close();
    secureRelay.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
