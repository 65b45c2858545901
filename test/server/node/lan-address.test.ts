import { networkInterfaces } from "node:os";
import { describe, expect, it } from "vitest";
import { lanUrls } from "../../../server/node/lan-address.ts";
import type { RoomBody } from "../../../shared/protocol.ts";
import { useServer } from "../../support/server.ts";

const server = useServer(); // on 127.0.0.1: no other machine can reach it

describe("lanUrls", () => {
  it("listening on every interface: the page's address on each IPv4 one other machines can reach, never loopback", () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a?.family === "IPv4" && !a.internal);
    for (const host of [undefined, "0.0.0.0", "::"]) {
      expect(lanUrls(8000, host)).toEqual(external.map((a) => `http://${a!.address}:8000/`));
    }
    for (const url of lanUrls(8000)) expect(url).not.toMatch(/127\.0\.0\.1|localhost/);
  });

  it("listening on one address: that one, or none when it is loopback", () => {
    expect(lanUrls(8000, "192.168.1.20")).toEqual(["http://192.168.1.20:8000/"]);
    expect(lanUrls(8000, "fd00::20")).toEqual(["http://[fd00::20]:8000/"]);
    for (const loopback of ["127.0.0.1", "localhost", "::1"]) expect(lanUrls(8000, loopback)).toEqual([]);
  });
});

describe("GET /room", () => {
  it("tells the page what the room can reach: nothing, for a server on loopback", async () => {
    const body = (await (await fetch(`${server().url}/room`)).json()) as RoomBody;
    expect(body).toEqual({ urls: [] });
  });
});
