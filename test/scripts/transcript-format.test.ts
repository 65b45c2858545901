import { describe, expect, it } from "vitest";
import { describeFrame, hexDump, showCrlf } from "../../scripts/transcript-format.ts";
import { decodeFrame, encodeFrame, OPCODES } from "../../scripts/websocket-frame.ts";

describe("showCrlf", () => {
  it("keeps one line per HTTP line and writes each CRLF out", () => {
    expect(showCrlf("GET /ws HTTP/1.1\r\nHost: a\r\n\r\n")).toEqual([
      "GET /ws HTTP/1.1\\r\\n",
      "Host: a\\r\\n",
      "\\r\\n",
    ]);
  });
});

describe("hexDump", () => {
  it("shows offset, hex and printable ASCII, 16 bytes a row", () => {
    const lines = hexDump(Buffer.from("Hello, WebSocket world\n"));
    expect(lines[0]).toBe("0000  48 65 6c 6c 6f 2c 20 57 65 62 53 6f 63 6b 65 74  Hello, WebSocket");
    expect(lines[1]).toMatch(/^0010 {2}20 77 6f 72 6c 64 0a\s+ world\.$/);
  });

  it("summarises what is past the limit", () => {
    expect(hexDump(Buffer.alloc(40), 16)).toEqual([expect.stringMatching(/^0000 /), "…     24 more bytes"]);
  });
});

describe("describeFrame", () => {
  it("names each field of the RFC's masked Hello", () => {
    const frame = decodeFrame(Buffer.from([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]))!;
    const text = describeFrame(frame).join("\n");
    expect(text).toMatch(/FIN\s+1/);
    expect(text).toMatch(/opcode\s+0x01\s+text/);
    expect(text).toMatch(/MASK\s+1/);
    expect(text).toMatch(/mask key\s+0x37 0xfa 0x21 0x3d/);
    expect(text).toMatch(/payload\s+Hello/);
    expect(text).toContain("0000  81 85 37 fa 21 3d 7f 9f 4d 51 58");
  });

  it("explains the 16-bit length form and decodes a close code", () => {
    const long = decodeFrame(encodeFrame({ opcode: OPCODES.binary, payload: Buffer.alloc(300) }))!;
    expect(describeFrame(long).join("\n")).toContain("126 → the next 2 bytes hold the length: 300 bytes");
    const close = decodeFrame(
      encodeFrame({ opcode: OPCODES.close, payload: Buffer.from([0x03, 0xe8, 0x62, 0x79, 0x65]) }),
    )!;
    expect(describeFrame(close).join("\n")).toContain('close code 1000, reason "bye"');
  });
});
