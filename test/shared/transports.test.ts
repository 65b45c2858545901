import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SINGLE_PANE_PAGES, slidesPair, TRANSPORT_IDS, TRANSPORTS } from "../../shared/transports.ts";

describe("the transport registry", () => {
  it("names, for each transport, a client file and a function it exports", async () => {
    for (const id of TRANSPORT_IDS) {
      const [file, fn] = TRANSPORTS[id].client.split(": ") as [string, string];
      const module = await import(new URL(`../../${file}`, import.meta.url).href);
      expect(typeof module[fn.replace("()", "")], `${id}: ${TRANSPORTS[id].client}`).toBe("function");
    }
  });

  it("gives each page one transport, and the slides' versions none", () => {
    expect([...SINGLE_PANE_PAGES]).toEqual([
      ["/polling", "polling"],
      ["/socket", "socket"],
      ["/conditional", "conditional"],
      ["/longpoll", "longpoll"],
      ["/sse", "sse"],
    ]);
    expect(TRANSPORTS.naive.page).toBeNull();
    expect(TRANSPORTS["naive-socket"].page).toBeNull();
  });

  it("pairs each slides' version with its fixed transport, from either side", () => {
    expect(slidesPair("polling")).toEqual({ fixed: "polling", slides: "naive" });
    expect(slidesPair("naive")).toEqual({ fixed: "polling", slides: "naive" });
    expect(slidesPair("socket")).toEqual({ fixed: "socket", slides: "naive-socket" });
    expect(slidesPair("naive-socket")).toEqual({ fixed: "socket", slides: "naive-socket" });
    expect(slidesPair("sse")).toBeUndefined();
  });

  it("imports nothing: the browser, the server and the bench all load it", () => {
    const source = readFileSync(new URL("../../shared/transports.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/^import /m);
  });
});
