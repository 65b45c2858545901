import { networkInterfaces } from "node:os";

/** The page's address on each of this machine's LAN interfaces (IPv4, not loopback): what students type in. */
export function lanUrls(port: number): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((address) => address && address.family === "IPv4" && !address.internal)
    .map((address) => `http://${address!.address}:${port}/`);
}
