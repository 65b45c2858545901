import { hostname, networkInterfaces } from "node:os";
import { SERVED_ADDRESSES_REFRESH_MS } from "../limits/connection-limits.ts";
import { hostnameOf, isLoopbackName } from "../guard/host.ts";

export interface ServedHostOptions {
  /** The address the server listens on (`--host`), if one. */
  listenHost?: string;
  /** Extra names (`--host-name`): a DNS name for the room, a reverse proxy's. */
  hostNames?: readonly string[];
  /** ALLOWED_ORIGINS: their hosts are served too. */
  allowedOrigins?: readonly string[];
  now?: () => number;
}

const interfaceAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .map((address) => address!.address.toLowerCase().replace(/%.*$/, ""));

/**
 * The names the server serves (server/guard/host.ts): loopback names, the machine's name (and `.local`), each of its
 * interfaces' addresses (looked up again, at most every SERVED_ADDRESSES_REFRESH_MS, when a name is not found: a
 * laptop that changes Wi-Fi mid-lesson keeps its room), `--host`, `--host-name` and ALLOWED_ORIGINS' hosts.
 */
export function servedHosts(options: ServedHostOptions = {}): (name: string) => boolean {
  const now = options.now ?? Date.now;
  const machine = hostname().toLowerCase();
  const origins = (options.allowedOrigins ?? []).flatMap((origin) => {
    try {
      return [new URL(origin).hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1")];
    } catch {
      return [];
    }
  });
  const fixed = new Set([machine, `${machine}.local`, ...origins]);
  for (const name of [options.listenHost, ...(options.hostNames ?? [])])
    if (name) fixed.add(hostnameOf(name) ?? name.toLowerCase());
  let addresses = new Set(interfaceAddresses());
  let lookedUp = now();
  return (name) => {
    if (isLoopbackName(name) || fixed.has(name) || addresses.has(name)) return true;
    if (now() - lookedUp < SERVED_ADDRESSES_REFRESH_MS) return false;
    addresses = new Set(interfaceAddresses());
    lookedUp = now();
    return addresses.has(name);
  };
}
