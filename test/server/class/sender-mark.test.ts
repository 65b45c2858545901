import { describe, expect, it } from "vitest";
import { CLASS_PATHS } from "../../../shared/class-protocol.ts";
import type { Message } from "../../../shared/protocol.ts";
import { requestFrom } from "../../support/student.ts";
import { SocketClient } from "../../support/socket-client.ts";
import { uniqueText, useServer } from "../../support/server.ts";

// Issue 23 row 8: the server's and the teacher's messages carry a mark the server sets (`from`), never the body.
const server = useServer({ hostname: "0.0.0.0" });
const url = (path: string) => `http://127.0.0.1:${server().port}${path}`;
const json = { "content-type": "application/json" };

const post = (body: object, localAddress?: string) =>
  requestFrom(url("/messages"), { method: "POST", headers: json, body: JSON.stringify(body), localAddress });

describe("who a message is from, as the server marks it", () => {
  it("a student posting as the teacher, with a made-up from, is a student's message", async () => {
    const text = uniqueText("posing");
    const answer = await post({ user: "teacher", text, from: "teacher" }); // from 127.0.0.2
    expect(answer.status).toBe(201);
    expect((answer.body as Message).from).toBeUndefined();
    const stored = (await server().chat.since(0)).find((message) => message.text === text)!;
    expect(stored).not.toHaveProperty("from");
  });

  it("the teacher's post (POST and socket frame) is marked teacher; the server's new chat and bot are marked server", async () => {
    const text = uniqueText("teacher");
    expect(((await post({ user: "Ms A", text }, "127.0.0.1")).body as Message).from).toBe("teacher");
    const socket = await SocketClient.open(url(""));
    try {
      const framed = uniqueText("teacher frame");
      socket.send({ user: "Ms A", text: framed });
      expect((await socket.waitForText(framed)).from).toBe("teacher");
      expect(
        (
          await requestFrom(url(CLASS_PATHS.newChat), {
            method: "POST",
            headers: json,
            body: "{}",
            localAddress: "127.0.0.1",
          })
        ).status,
      ).toBe(200);
      expect((await socket.waitForText("new chat")).from).toBe("server");
    } finally {
      await socket.close();
    }
    const student = await SocketClient.open(`http://127.0.0.2:${server().port}`, "", { localAddress: "127.0.0.2" });
    try {
      const framed = uniqueText("student frame");
      student.send({ user: "teacher", text: framed, from: "teacher" });
      expect(await student.waitForText(framed)).not.toHaveProperty("from");
    } finally {
      await student.close();
    }
  });
});
