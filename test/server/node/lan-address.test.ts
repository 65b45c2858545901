import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import { lanUrls } from "../../../server/node/lan-address.ts";
import { useServer } from "../../support/server.ts";
import type { RoomBody } from "../../../shared/protocol.ts";

const server = useServer();

describe("lanUrls", () => {
  it("gives the page's address on each IPv4 interface other machines can reach, never loopback", () => {
    const urls = lanUrls(8000);
    const external = Object.values(networkInterfaces()).flat().filter((a) => a?.family === "IPv4" && !a.internal);
    expect(urls).toEqual(external.map((a) => `http://${a!.address}:8000/`));
    for (const url of urls) expect(url).not.toMatch(/127\.0\.0\.1|localhost/);
  });
});

describe("GET /room", () => {
  it("tells the page those addresses, with the port the server really listens on", async () => {
    const body = (await (await fetch(`${server().url}/room`)).json()) as RoomBody;
    expect(body.urls).toEqual(lanUrls(server().port));
  });
});
