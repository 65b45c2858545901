/** Turns a raw WebSocket conversation into lines a class can read: CRLFs visible, frames field by field. */
import type { AcceptComputation } from "../shared/websocket-accept.ts";
import type { Transcript } from "./raw-handshake.ts";
import { LENGTH_16BIT, LENGTH_64BIT } from "../shared/websocket-frame-header.ts";
import { OPCODES, opcodeName, type DecodedFrame } from "./websocket-frame.ts";

/** Bytes of a frame shown in hex, and characters of it shown as text, before the rest is summarised. */
export const HEX_DUMP_LIMIT = 80;
export const TEXT_LIMIT = 240;

/** One line per HTTP line, its `\r\n` written out so the class sees where each line really ends. */
export function showCrlf(head: string): string[] {
  return head.split(/(?<=\r\n)/).map((line) => line.replace(/\r\n$/, "\\r\\n"));
}

/** Classic hex dump: offset, 16 bytes in hex, the same bytes as ASCII (dots for the rest). */
export function hexDump(bytes: Uint8Array, limit = HEX_DUMP_LIMIT): string[] {
  const shown = bytes.subarray(0, limit);
  const lines: string[] = [];
  for (let offset = 0; offset < shown.length; offset += 16) {
    const row = shown.subarray(offset, offset + 16);
    const hex = Array.from(row, (byte) => byte.toString(16).padStart(2, "0")).join(" ");
    const ascii = Array.from(row, (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : ".")).join("");
    lines.push(`${offset.toString(16).padStart(4, "0")}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > limit) lines.push(`…     ${bytes.length - limit} more bytes`);
  return lines;
}

const bit = (value: boolean) => (value ? "1" : "0");
const hexByte = (value: number) => `0x${value.toString(16).padStart(2, "0")}`;

function describeLength(frame: DecodedFrame): string {
  if (frame.lengthField === LENGTH_16BIT) return `126 → the next 2 bytes hold the length: ${frame.payloadLength} bytes`;
  if (frame.lengthField === LENGTH_64BIT) return `127 → the next 8 bytes hold the length: ${frame.payloadLength} bytes`;
  return `${frame.lengthField} bytes (fits in 7 bits)`;
}

function describePayload(frame: DecodedFrame): string {
  if (frame.opcode === OPCODES.close && frame.payload.length >= 2) {
    const reason = frame.payload.subarray(2).toString("utf8");
    return `close code ${frame.payload.readUInt16BE(0)}${reason ? `, reason "${reason}"` : ""}`;
  }
  if (frame.opcode !== OPCODES.text) return `${frame.payload.length} bytes`;
  const text = frame.payload.toString("utf8");
  return text.length > TEXT_LIMIT ? `${text.slice(0, TEXT_LIMIT)}… (${text.length} characters)` : text;
}

/** A frame's fields in order, as they sit in its first bytes, then its bytes in hex. */
export function describeFrame(frame: DecodedFrame): string[] {
  const rows: [string, string, string][] = [
    ["FIN", bit(frame.fin), frame.fin ? "this is the last (here: only) fragment" : "more fragments follow"],
    ["RSV1-3", `${bit(frame.rsv1)} ${bit(frame.rsv2)} ${bit(frame.rsv3)}`, "no extension in use"],
    ["opcode", hexByte(frame.opcode), opcodeName(frame.opcode)],
    [
      "MASK",
      bit(frame.masked),
      frame.masked ? "masked: client → server frames must be" : "not masked: server → client",
    ],
    ["length", String(frame.lengthField), describeLength(frame)],
  ];
  if (frame.maskingKey) {
    rows.push(["mask key", Array.from(frame.maskingKey, hexByte).join(" "), "payload byte i is XORed with key[i % 4]"]);
  }
  rows.push(["payload", "", describePayload(frame)]);
  return [
    ...rows.map(([name, value, meaning]) => `${name.padEnd(9)}${value.padEnd(21)}${meaning}`),
    `header ${frame.headerLength} bytes + payload ${frame.payloadLength} bytes = ${frame.bytes.length} bytes on the wire:`,
    ...hexDump(frame.bytes),
  ];
}

const indent = (lines: string[]) => lines.map((line) => `    ${line}`);

/** The whole conversation, section by section. */
export function formatTranscript(transcript: Transcript, computation: AcceptComputation): string[] {
  const sent = transcript.headers.find(([name]) => name.toLowerCase() === "sec-websocket-accept")?.[1];
  const out = [
    `1. The upgrade request, as written to the TCP socket (${Buffer.byteLength(transcript.request)} bytes)`,
    ...indent(showCrlf(transcript.request)),
    "",
    `2. The server's answer (${Buffer.byteLength(transcript.response, "latin1")} bytes): status ${transcript.status}`,
    ...indent(showCrlf(transcript.response)),
    "",
    "3. Sec-WebSocket-Accept = base64(SHA-1(key + GUID))",
    ...indent([
      `key          ${computation.key}`,
      `key + GUID   ${computation.concatenated}`,
      `SHA-1        ${computation.sha1Hex}`,
      `base64       ${computation.accept}`,
      `server sent  ${sent ?? "(none)"}   ${sent === computation.accept ? "✓ matches" : "✗ does not match"}`,
    ]),
  ];
  if (transcript.status !== 101) return out;
  out.push("", "4. The frames, in the order they crossed the connection");
  transcript.frames.forEach(({ from, frame }, i) => {
    const heading = from === "client" ? "client → server" : "server → client";
    out.push("", `4.${i + 1} ${heading}: ${opcodeName(frame.opcode)} frame`, ...indent(describeFrame(frame)));
  });
  return out;
}
