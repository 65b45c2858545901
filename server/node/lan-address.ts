import { isIP } from "node:net";
import { networkInterfaces } from "node:os";

/** Addresses that mean "every interface": the server is reachable on each of the machine's addresses. */
const EVERY_INTERFACE = new Set(["", "0.0.0.0", "::"]);

/**
 * The page's address for other machines in the room: on each LAN interface (IPv4, not loopback) when the server
 * listens on every interface; only the one given when it listens on one (none if that one is loopback).
 */
export function lanUrls(port: number, host = ""): string[] {
  if (!EVERY_INTERFACE.has(host)) {
    const loopback = host === "localhost" || host.startsWith("127.") || host === "::1";
    return loopback ? [] : [`http://${isIP(host) === 6 ? `[${host}]` : host}:${port}/`];
  }
  return Object.values(networkInterfaces())
    .flat()
    .filter((address) => address && address.family === "IPv4" && !address.internal)
    .map((address) => `http://${address!.address}:${port}/`);
}
