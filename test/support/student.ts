import { request } from "node:http";
// A student's machine, played on this one: 127.0.0.2 is a loopback address, but not the one the server's own browser
// uses (127.0.0.1), so the server's teacher rule (server/guard/teacher-rule.ts) sees another machine.
import { STUDENT_ADDRESS, studentRelay as roomRelay } from "../../scripts/rehearsal/room.ts";

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

/** A page opened at the relay's URL reaches the server from 127.0.0.2: a student's page (scripts/rehearsal/room.ts). */
export async function studentRelay(serverPort: number): Promise<{ url: string; close(): Promise<void> }> {
  const relay = await roomRelay(() => serverPort);
  return { url: relay.url, close: relay.close };
}
