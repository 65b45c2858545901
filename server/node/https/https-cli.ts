import { DEFAULT_HTTPS_PORT } from "../../config.ts";
import type { SecureEdge } from "./https-server.ts";
import { givenCertificate, localNames, selfSignedCertificate, type TlsCredentials } from "./tls-certificate.ts";

/** A bad `--https-port`, `--cert` or `--key`: node-main.ts prints the message alone. */
export class HttpsOptionError extends Error {}

/** `--https [--https-port N] [--cert FILE --key FILE]` → what startServer() takes; the certificate made if needed. */
export async function httpsOptions(
  values: { "https-port"?: string; cert?: string; key?: string },
  dataDir: string,
): Promise<{ port: number; credentials: TlsCredentials }> {
  const port = Number(values["https-port"] ?? DEFAULT_HTTPS_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new HttpsOptionError(`--https-port must be an integer from 0 to 65535, got ${values["https-port"]}`);
  }
  if (!values.cert !== !values.key) throw new HttpsOptionError("--cert and --key go together");
  if (!values.cert) return { port, credentials: await selfSignedCertificate(dataDir) };
  try {
    return { port, credentials: givenCertificate(values.cert, values.key!) };
  } catch (error) {
    throw new HttpsOptionError(`--cert/--key: ${(error as Error).message}`);
  }
}

/** What `npm start -- --https` prints: the addresses, and how a laptop and a phone accept a self-signed certificate. */
export function httpsNotice(secure: SecureEdge): string {
  const { credentials } = secure;
  const { hosts, ips } = localNames();
  const lan = ips.filter((ip) => ip !== "127.0.0.1" && ip !== "::1" && !ip.includes(":"));
  const url = (host: string) => `https://${host}:${secure.port}/`;
  const lines = [
    `  Over TLS (HTTP/2)   ${url("localhost")}        (every pane shows the protocol it got: h2 or http/1.1)`,
    ...(lan.length > 0 ? [`  From the room       ${lan.map(url).join("  ")}  ${url(hosts[1] ?? "localhost")}`] : []),
    `  Certificate         ${credentials.origin === "given" ? credentials.certFile : `self-signed, ${credentials.origin === "reused" ? "reused from" : "made in"} ${credentials.certFile}`}`,
    `  SHA-256             ${credentials.fingerprint256}`,
  ];
  if (credentials.origin !== "given") {
    lines.push(
      "  Accepting it        compare the SHA-256 above with the browser's certificate viewer, then:",
      "                      laptop (Chrome, Edge): Advanced → Proceed; Firefox: Advanced → Accept the Risk",
      "                      phone: the same on Android; on iPhone Safari: Show Details → visit this website",
      "                      (docs/http2.md; `--cert`/`--key` take a trusted one, e.g. from mkcert)",
    );
  }
  return lines.join("\n");
}
