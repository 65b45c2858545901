/**
 * What a simulated client speaks over TLS (bench --http2, the tests): the client modules take a `fetch`, and this
 * one is undici's, on an Agent of the client's own, so each client has its own connection as a browser tab would.
 * Node 20's built-in fetch cannot speak HTTP/2.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConnectionOptions } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";
import { selfSignedCertificate, type TlsCredentials } from "../../server/node/https/tls-certificate.ts";
import type { TlsProtocol } from "../core/records.ts";

export const TLS_PROTOCOLS: readonly TlsProtocol[] = ["h1", "h2"];

export interface TlsFetch {
  fetch: typeof fetch;
  /** Closes the connection at once, requests in flight (a held long poll, an event stream) included. */
  close(): Promise<void>;
}

/**
 * A `fetch` over one connection (`connections: 1`: requests queue on it over HTTP/1.1, share it as streams over
 * HTTP/2) that trusts `ca` (the server's self-signed certificate). `connect` may hand over a socket made beforehand.
 */
export function tlsFetch(protocol: TlsProtocol, ca: string, connect?: ConnectionOptions): TlsFetch {
  const agent = new Agent({ allowH2: protocol === "h2", connections: 1, pipelining: 1, connect: { ca, ...connect } });
  const fetchOnAgent = ((input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as string, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
  return { fetch: fetchOnAgent, close: () => agent.destroy() };
}

/** The bench server's certificate: the demo's own kind, kept in the temporary directory between runs. */
export const benchCertificate = (): Promise<TlsCredentials> =>
  selfSignedCertificate(join(tmpdir(), "polling-vs-websockets-bench"));
