import QRCode from "qrcode";
import { element } from "../page/ui/dom.ts";
import { translated } from "../page/ui/i18n.ts";

/**
 * How to join: the address students open, in large text and as a QR code. The code is the `qrcode` library's SVG,
 * parsed as XML (no HTML is parsed) and placed as it is, so a test can compare it with the library's own output.
 */
export async function createJoin(url: string): Promise<HTMLElement> {
  const section = element("section", "join");
  const address = element("p", "join-url", url);
  const svg = new DOMParser().parseFromString(await QRCode.toString(url, { type: "svg", margin: 2 }), "image/svg+xml");
  const code = element("figure", "qr");
  code.append(document.importNode(svg.documentElement, true));
  code.setAttribute("role", "img");
  code.setAttribute("aria-label", url);
  section.append(
    translated(element("h2"), "class.join"),
    code,
    address,
    translated(element("p", "hint"), "class.join.hint"),
  );
  return section;
}
