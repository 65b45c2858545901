import { describe, expect, it } from "vitest";
import { trackEpoch } from "../../../clients/transports/epoch.ts";

describe("trackEpoch", () => {
  it("sends nothing until an epoch is known, then &epoch=; says when an answer's epoch is a new one", () => {
    const heard: string[] = [];
    const epoch = trackEpoch((e) => heard.push(e));
    expect(epoch.param()).toBe("");
    expect(epoch.isNew("aaa111")).toBe(true); // the first: the last id was 0 anyway
    expect(epoch.param()).toBe("&epoch=aaa111");
    expect(epoch.isNew("aaa111")).toBe(false);
    expect(epoch.isNew(null)).toBe(false); // an answer without one (a 304, an older server) changes nothing
    expect(epoch.isNew("bbb222")).toBe(true); // the history started again: forget the last id
    expect(epoch.param()).toBe("&epoch=bbb222");
    expect(heard).toEqual(["aaa111", "bbb222"]);
  });
});
