import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_HTTPS_PORT } from "../../../../server/config.ts";
import { HttpsOptionError, httpsNotice, httpsOptions } from "../../../../server/node/https/https-cli.ts";
import type { SecureEdge } from "../../../../server/node/https/https-server.ts";

const dir = mkdtempSync(join(tmpdir(), "chat-https-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("--https options", () => {
  it(`listens on DEFAULT_HTTPS_PORT (${DEFAULT_HTTPS_PORT}) unless told, with a certificate made in the data directory`, async () => {
    const options = await httpsOptions({}, dir);
    expect(options.port).toBe(DEFAULT_HTTPS_PORT);
    expect(options.credentials.certFile).toBe(join(dir, "tls", "cert.pem"));
  });

  it("refuses a bad port, and a --cert without --key, or files that cannot be read, with a clear message", async () => {
    await expect(httpsOptions({ "https-port": "70000" }, dir)).rejects.toThrow(/--https-port must be an integer/);
    await expect(httpsOptions({ cert: "a.pem" }, dir)).rejects.toThrow(HttpsOptionError);
    await expect(httpsOptions({ cert: "/nonexistent/a.pem", key: "/nonexistent/b.pem" }, dir)).rejects.toThrow(
      /--cert\/--key: .*ENOENT/,
    );
  });

  it("the notice gives the https address, the fingerprint and how to accept the certificate", async () => {
    const { credentials } = await httpsOptions({}, dir);
    const text = httpsNotice({ port: 8443, credentials } as SecureEdge);
    expect(text).toContain("https://localhost:8443/");
    expect(text).toContain(credentials.fingerprint256);
    expect(text).toMatch(/phone/);
  });
});
