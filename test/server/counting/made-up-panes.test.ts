import { describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { CLASS_PATHS, type ClassNumbers } from "../../../shared/class-protocol.ts";
import { PATHS } from "../../../shared/protocol.ts";
import { MAX_PANES_PER_ADDRESS } from "../../../server/limits/counting-limits.ts";
import { useServer } from "../../support/server.ts";

// Issue 23 row 5, at a real server: made-up `?p=` ids from the same address as a connected socket pane.
const server = useServer();

describe("made-up pane ids at the server", () => {
  it("keep a connected socket pane and the class view's socket count true", async () => {
    const { url } = server();
    const socket = new WebSocket(`${url.replace("http", "ws")}${PATHS.socket}?p=realso.socket`);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    try {
      const madeUp = MAX_PANES_PER_ADDRESS + 50;
      for (let i = 0; i < madeUp; i += 25) {
        await Promise.all(
          Array.from({ length: 25 }, (_, j) => fetch(`${url}/time?p=fake${String(i + j).padStart(4, "0")}.socket`)),
        );
      }
      expect((await fetch(`${url}${PATHS.paneStats}/realso`)).status).toBe(200);
      const numbers = (await (await fetch(`${url}${CLASS_PATHS.numbers}`)).json()) as ClassNumbers;
      expect(numbers.transports.socket.clients).toBe(1); // before: 1 + every made-up id seen in the last 5 s
    } finally {
      socket.close();
    }
  });
});
