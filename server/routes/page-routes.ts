import { Hono } from "hono";
import { CLASS_PATHS } from "../../shared/class-protocol.ts";
import { SINGLE_PANE_PAGES } from "../../shared/transports.ts";

/** The browser page, bundled from clients/page/ by the runtime edge (server/node/client-assets.ts). */
export interface ClientAssets {
  html: string;
  css: string;
  js: string;
  /** The class view for the projector (/class), bundled from clients/class/. */
  classPage?: { html: string; css: string; js: string };
}

/** The pages and their bundles, built once, on the first request for any of them. */
export function pageRoutes(assets: () => Promise<ClientAssets>): Hono {
  let built: Promise<ClientAssets> | undefined;
  const clientAssets = () => (built ??= assets());
  const classPage = async () => (await clientAssets()).classPage ?? { html: "", css: "", js: "" };
  const routes = new Hono();
  for (const page of ["/", ...SINGLE_PANE_PAGES.keys()]) {
    routes.get(page, async (c) => c.html((await clientAssets()).html));
  }
  routes.get(CLASS_PATHS.page, async (c) => c.html((await classPage()).html));
  // The bundles and style sheets: the chat's (clients/page/) and the class view's (clients/class/).
  const files = [
    ["/app.js", "text/javascript", async () => (await clientAssets()).js],
    ["/style.css", "text/css", async () => (await clientAssets()).css],
    ["/class.js", "text/javascript", async () => (await classPage()).js],
    ["/class.css", "text/css", async () => (await classPage()).css],
  ] as const;
  for (const [path, type, read] of files) {
    routes.get(path, async (c) => {
      c.header("content-type", `${type}; charset=utf-8`);
      return c.body(await read());
    });
  }
  return routes;
}
