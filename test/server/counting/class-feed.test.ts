import { describe, expect, it } from "vitest";
import { createApp } from "../../../server/app.ts";
import { createChat } from "../../../server/chat-factory.ts";
import type { ClassNumbers } from "../../../shared/class-protocol.ts";

describe("GET /class/numbers: the join address", () => {
  it("is the https one for a class view opened over TLS (its QR code pointed to http:// before)", async () => {
    const { app } = createApp({
      chat: await createChat(),
      roomUrls: () => ["http://192.168.1.20:8000/"],
      secureRoomUrls: () => ["https://192.168.1.20:8443/"],
    });
    const read = async (url: string) => ((await (await app.request(url)).json()) as ClassNumbers).joinUrl;
    expect(await read("http://192.168.1.20:8000/class/numbers")).toBe("http://192.168.1.20:8000/");
    expect(await read("https://192.168.1.20:8443/class/numbers")).toBe("https://192.168.1.20:8443/");
  });
});
