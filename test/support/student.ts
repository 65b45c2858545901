import { request } from "node:http";
import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

/**
 * A student's machine, played on this one: 127.0.0.2 is a loopback address, but not the one the server's own
 * browser uses (127.0.0.1), so the server's teacher rule (server/guard/teacher-rule.ts) sees another machine.
 */
const STUDENT_ADDRESS = "127.0.0.2";

export interface Answer {
  status: number;
  body: unknown;
}

/** An HTTP request sent from `localAddress` (the student's by default): what `fetch` cannot choose. */
export function requestFrom(
  url: string,
  {
    method = "GET",
    headers = {},
    body,
    localAddress = STUDENT_ADDRESS,
  }: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    localAddress?: string;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, localAddress }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/**
 * For a browser, which cannot pick its source address: a TCP relay on 127.0.0.1 whose connections reach the server
 * from 127.0.0.2. A page opened at the relay's URL is a student's page as far as the server can tell.
 */
export async function studentRelay(serverPort: number): Promise<{ url: string; close(): Promise<void> }> {
  const open = new Set<Socket>();
  const relay: Server = createServer((inbound) => {
    const outbound = connect({ host: "127.0.0.1", port: serverPort, localAddress: STUDENT_ADDRESS });
    for (const [socket, other] of [
      [inbound, outbound],
      [outbound, inbound],
    ] as const) {
      open.add(socket);
      socket.on("error", () => other.destroy());
      socket.on("close", () => {
        open.delete(socket);
        other.destroy();
      });
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(relay.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        relay.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}
