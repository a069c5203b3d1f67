// Usage: node configurator.mjs BASE_URL SCREENSHOT.png
// Opens the configurator, changes the variant and types a name; each time the
// server-rendered image must change (new configuration hash, new pixels) and
// the price must follow. Exits non-zero on any failure.
import { chromium } from "playwright-core";
import { strict as assert } from "node:assert";

const [base, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const timeout = 180_000;
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/?product=sneaker`);

  const shown = async (previous) => {
    await page.waitForFunction((prev) => {
      const i = document.getElementById("image");
      return i.complete && i.naturalWidth > 0 && i.dataset.hash && i.dataset.hash !== prev &&
        !document.getElementById("stage").classList.contains("busy");
    }, previous, { timeout });
    return page.$eval("#image", (i) => {
      const c = document.createElement("canvas");
      c.width = 64; c.height = 64;
      const g = c.getContext("2d");
      g.drawImage(i, 0, 0, 64, 64);
      return { hash: i.dataset.hash, pixels: Array.from(g.getImageData(0, 0, 64, 64).data) };
    });
  };
  const price = () => page.$eval("#price", (p) => p.textContent);
  const differs = (a, b) => a.pixels.reduce((n, v, k) => n + (Math.abs(v - b.pixels[k]) > 8 ? 1 : 0), 0);

  const first = await shown(null);
  const price0 = await price();
  console.log(`first image ${first.hash.slice(0, 12)} price ${price0}`);

  await page.click('fieldset[data-option="colorway"] button[title^="Street"]');
  const street = await shown(first.hash);
  const price1 = await price();
  console.log(`street ${street.hash.slice(0, 12)} price ${price1}, ${differs(first, street)} of 4096 samples changed`);
  assert.ok(differs(first, street) > 50, "the variant change did not change the picture");
  assert.notEqual(price1, price0, "the Street colourway costs more: the price must change");

  await page.fill("#opt-name", "ANNA");
  const named = await shown(street.hash);
  const price2 = await price();
  console.log(`named ${named.hash.slice(0, 12)} price ${price2}`);
  assert.notEqual(price2, price1, "a name is priced: the price must change");
  assert.equal(await page.$eval("#errors", (e) => e.textContent), "", "the page shows an error");
  assert.deepEqual(errors, [], "the page threw");
  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${screenshot}`);
} finally {
  await browser.close();
}
