import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import { CERTIFICATE_RENEW_BEFORE_MS, CERTIFICATE_VALID_DAYS } from "../../config.ts";

/** A certificate and its key, PEM, as `https`/`http2` take them, with what a person checks before accepting it. */
export interface TlsCredentials {
  cert: string;
  key: string;
  /** SHA-256 of the certificate (DER), `AB:CD:…`: what a browser's certificate viewer shows. */
  fingerprint256: string;
  /** Where it came from: made now, reused from the data directory, or given with --cert/--key. */
  origin: "generated" | "reused" | "given";
  /** The files it is kept in. */
  certFile: string;
  keyFile: string;
}

/** The names a phone or a laptop in the room may type: localhost, this machine's host name, every address. */
export function localNames(): { hosts: string[]; ips: string[] } {
  const lan = Object.values(networkInterfaces())
    .flat()
    // A link-local IPv6 address needs a zone (`%eth0`), which a certificate cannot name and a URL rarely carries.
    .filter((address) => address && !address.internal && !address.address.startsWith("fe80:"))
    .map((address) => address!.address);
  return { hosts: [...new Set(["localhost", hostname()])], ips: [...new Set(["127.0.0.1", "::1", ...lan])] };
}

/** Still usable: not expiring within CERTIFICATE_RENEW_BEFORE_MS, and valid for every name in `names`. */
export function covers(cert: X509Certificate, names: { hosts: string[]; ips: string[] }, now = Date.now()): boolean {
  if (new Date(cert.validTo).getTime() - now < CERTIFICATE_RENEW_BEFORE_MS) return false;
  return (
    names.hosts.every((host) => cert.checkHost(host) !== undefined) &&
    names.ips.every((ip) => cert.checkIP(ip) !== undefined)
  );
}

async function generateFor(names: { hosts: string[]; ips: string[] }): Promise<{ cert: string; key: string }> {
  const notBeforeDate = new Date(Date.now() - 60_000); // a phone whose clock is a little behind still accepts it
  const notAfterDate = new Date(notBeforeDate.getTime() + CERTIFICATE_VALID_DAYS * 86_400_000);
  // Loaded only here: most starts make no certificate, and the package slowed every one (0.2 s at load 11).
  const { generate } = await import("selfsigned");
  const pems = await generate([{ name: "commonName", value: names.hosts[0]! }], {
    keyType: "ec", // P-256: made in milliseconds, and a smaller handshake than RSA's
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          ...names.hosts.map((value) => ({ type: 2 as const, value })),
          ...names.ips.map((ip) => ({ type: 7 as const, ip })),
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

const credentials = (
  cert: string,
  key: string,
  origin: TlsCredentials["origin"],
  certFile: string,
  keyFile: string,
) => ({
  cert,
  key,
  fingerprint256: new X509Certificate(cert).fingerprint256,
  origin,
  certFile,
  keyFile,
});

/**
 * The demo's self-signed certificate, kept in `<dataDir>/tls/` (git-ignored) so a browser that accepted it once
 * keeps accepting it across restarts. Made again when missing, expiring, or no longer naming every address this
 * machine has (the laptop moved to another Wi-Fi).
 */
export async function selfSignedCertificate(dataDir: string, names = localNames()): Promise<TlsCredentials> {
  const dir = join(dataDir, "tls");
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  try {
    const cert = readFileSync(certFile, "utf8");
    const key = readFileSync(keyFile, "utf8");
    if (covers(new X509Certificate(cert), names)) return credentials(cert, key, "reused", certFile, keyFile);
  } catch {
    // none yet, or unreadable: make one
  }
  const made = await generateFor(names);
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyFile, made.key, { mode: 0o600 });
  writeFileSync(certFile, made.cert);
  return credentials(made.cert, made.key, "generated", certFile, keyFile);
}

/** `--cert`/`--key`: a real certificate (from mkcert, say), used as it is. */
export function givenCertificate(certFile: string, keyFile: string): TlsCredentials {
  return credentials(readFileSync(certFile, "utf8"), readFileSync(keyFile, "utf8"), "given", certFile, keyFile);
}
