import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tlsFetch } from "../../../bench/clients/tls-client.ts";
import { selfSignedCertificate } from "../../../server/node/https/tls-certificate.ts";
import { useServer } from "../../support/server.ts";

const dir = mkdtempSync(join(tmpdir(), "chat-tls-client-"));
const credentials = await selfSignedCertificate(dir);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const server = useServer({ https: { port: 0, credentials } });

describe("tlsFetch", () => {
  it("speaks h2 or HTTP/1.1 as asked, each fetch one connection for all its requests", async () => {
    for (const protocol of ["h1", "h2"] as const) {
      const before = { ...server().secure!.protocols };
      const client = tlsFetch(protocol, credentials.cert);
      try {
        for (let i = 0; i < 3; i++) expect((await client.fetch(`${server().secure!.url}/messages`)).status).toBe(200);
      } finally {
        await client.close();
      }
      const name = protocol === "h2" ? "h2" : "http/1.1";
      expect((server().secure!.protocols[name] ?? 0) - (before[name] ?? 0)).toBe(1);
    }
  });
});
