#!/usr/bin/env node
// Renders the manifest's PNG icons from web/icon.svg with the system Chromium (puppeteer-core):
//   node web/icons/make-icons.mjs      → icon-192.png, icon-512.png, icon-maskable-512.png
// The maskable icon puts the drawing inside the 80 % safe zone on a full-bleed background.
import { readFileSync } from 'node:fs';
import puppeteer from 'puppeteer-core';

const here = new URL('.', import.meta.url);
const svg = readFileSync(new URL('../icon.svg', import.meta.url), 'utf8');
const browser = await puppeteer.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  const shots = [
    ['icon-192.png', 192, false], ['icon-512.png', 512, false], ['icon-maskable-512.png', 512, true],
  ];
  for (const [name, size, maskable] of shots) {
    await page.setViewport({ width: size, height: size });
    const inner = maskable ? size * 0.8 : size;
    await page.setContent(`<html><body style="margin:0;background:${maskable ? '#0b3d5c' : 'transparent'};display:grid;place-items:center;height:${size}px">
      <img style="width:${inner}px;height:${inner}px" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body></html>`);
    await page.screenshot({ path: new URL(name, here).pathname, omitBackground: !maskable });
    console.log('wrote', name);
  }
} finally {
  await browser.close();
}
