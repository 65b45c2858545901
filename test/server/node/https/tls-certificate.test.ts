import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CERTIFICATE_RENEW_BEFORE_MS } from "../../../../server/config.ts";
import {
  covers,
  givenCertificate,
  localNames,
  selfSignedCertificate,
} from "../../../../server/node/https/tls-certificate.ts";
import { killMain, startMain, type MainProcess } from "../../../support/main-process.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "chat-cert-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("the self-signed certificate", () => {
  it("names localhost, 127.0.0.1, ::1, the host name and every LAN address this machine has", async () => {
    const made = await selfSignedCertificate(tempDir());
    const cert = new X509Certificate(made.cert);
    const lan = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === "IPv4");
    for (const ip of ["127.0.0.1", "::1", ...lan.map((a) => a!.address)]) expect(cert.checkIP(ip)).toBe(ip);
    for (const host of localNames().hosts) expect(cert.checkHost(host)).toBe(host);
    expect(cert.checkHost("example.com")).toBeUndefined();
    expect(made.fingerprint256).toBe(cert.fingerprint256);
    expect(made.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("is made once and reused from the data directory; made again when an address is new or it expires", async () => {
    const dir = tempDir();
    const first = await selfSignedCertificate(dir);
    const second = await selfSignedCertificate(dir);
    expect([first.origin, second.origin]).toEqual(["generated", "reused"]);
    expect(second.fingerprint256).toBe(first.fingerprint256);
    // The laptop joined another network: the certificate must name the new address, so it is made anew.
    const names = localNames();
    const moved = await selfSignedCertificate(dir, { ...names, ips: [...names.ips, "203.0.113.7"] });
    expect(moved.origin).toBe("generated");
    expect(new X509Certificate(moved.cert).checkIP("203.0.113.7")).toBe("203.0.113.7");
    const validTo = new Date(new X509Certificate(moved.cert).validTo).getTime();
    expect(covers(new X509Certificate(moved.cert), names, validTo - 2 * CERTIFICATE_RENEW_BEFORE_MS)).toBe(true);
    expect(covers(new X509Certificate(moved.cert), names, validTo - CERTIFICATE_RENEW_BEFORE_MS / 2)).toBe(false);
  });

  it("--cert/--key files are used as given", async () => {
    const made = await selfSignedCertificate(tempDir());
    const given = givenCertificate(made.certFile, made.keyFile);
    expect(given).toMatchObject({ origin: "given", fingerprint256: made.fingerprint256 });
  });
});

describe("npm start -- --https, restarted", () => {
  let main: MainProcess | undefined;
  afterEach(() => killMain(main));

  it("prints the same SHA-256 fingerprint after a restart: the browser's exception still holds", async () => {
    const data = tempDir();
    const fingerprints: string[] = [];
    for (let run = 0; run < 2; run++) {
      main = await startMain(["--port", "0", "--https", "--https-port", "0", "--data", data]);
      const printed = /SHA-256\s+([0-9A-F:]{95})/.exec(main.output())?.[1];
      expect(main.output()).toContain(run === 0 ? "made in" : "reused from");
      fingerprints.push(printed!);
      main.child.kill("SIGTERM");
      await main.exited;
    }
    expect(fingerprints[1]).toBe(fingerprints[0]);
    expect(fingerprints[0]).toBe(new X509Certificate(readFileSync(join(data, "tls", "cert.pem"))).fingerprint256);
  });
});
