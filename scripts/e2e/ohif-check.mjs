// Drives the real OHIF v3 viewer (headless Chromium through playwright-core) against a dPACS that already holds the
// studies of a manifest (scripts/e2e/manifest.py: expectations computed from the files by pydicom, never by dPACS)
// and fails unless OHIF shows every one of them:
//   1. the study list shows each patient name (non-ASCII included), and the QIDO-RS results and WADO-RS metadata
//      OHIF received carry every name group (Alphabetic, Ideographic, Phonetic) as pydicom decodes it;
//   2. typing a non-ASCII name into the list's filter makes dPACS return that study alone;
//   3. /viewer?StudyInstanceUIDs=... draws the image: the viewport canvas gets non-blank, non-uniform pixels, and
//      the pixels cornerstone decoded are the reference decoder's picture (and values, when lossless); a
//      multi-frame instance is scrolled to its last frame and checked again;
//   4. no request to dPACS fails (HTTP status >= 400, refused, CORS-blocked), and the page logs no error;
//   5. a negative control: a study dPACS does not hold draws nothing, so a blank viewport is really detected.
// Screenshots, network.json (every request OHIF made to dPACS) and console.json go to --out.
//
// Usage: node ohif-check.mjs --ohif URL --dicomweb URL --manifest FILE --out DIR [--chromium PATH]
//                            [--playwright DIR] [--timeout SECONDS]
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    ohif: { type: 'string' },
    dicomweb: { type: 'string' },
    manifest: { type: 'string' },
    out: { type: 'string' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    playwright: { type: 'string', default: process.cwd() },
    timeout: { type: 'string', default: '60' },
  },
});
for (const k of ['ohif', 'dicomweb', 'manifest', 'out']) {
  if (!opts[k]) {
    console.error(`ohif-check: --${k} is required`);
    process.exit(2);
  }
}
const { chromium } = createRequire(join(opts.playwright, 'package.json'))('playwright-core');
const ohif = opts.ohif.replace(/\/$/, '');
const dicomweb = opts.dicomweb.replace(/\/$/, '');
const timeoutMs = Number(opts.timeout) * 1000;
const manifest = JSON.parse(readFileSync(opts.manifest, 'utf8'));
mkdirSync(opts.out, { recursive: true });

// OHIF's DisplaySetMessage.CODES (the warning triangle on a thumbnail), for the report.
const MESSAGES = {
  1: 'NO_VALID_INSTANCES', 2: 'NO_POSITION_INFORMATION', 3: 'NOT_RECONSTRUCTABLE',
  4: 'MULTIFRAME_NO_PIXEL_MEASUREMENTS', 5: 'MULTIFRAME_NO_ORIENTATION', 6: 'MULTIFRAME_NO_POSITION_INFORMATION',
  7: 'MISSING_FRAMES', 8: 'IRREGULAR_SPACING', 9: 'INCONSISTENT_DIMENSIONS', 10: 'INCONSISTENT_COMPONENTS',
  11: 'INCONSISTENT_ORIENTATIONS', 12: 'INCONSISTENT_POSITION_INFORMATION', 13: 'UNSUPPORTED_DISPLAYSET',
  14: 'UNSUPPORTED_SOP_CLASS_UID', 15: 'MISSING_SOP_CLASS_UID',
};

/** As OHIF's utils.formatPN shows a name: Alphabetic group, first '^' as ', ', the others as spaces. */
function formatPN(alphabetic) {
  return alphabetic.replace('^', ', ').replace(/\^/g, ' ').trim();
}

const GRID = 16; // as in manifest.py
const failures = [];
const notes = [];
function fail(msg) {
  failures.push(msg);
  console.error(`FAIL ${msg}`);
}
function ok(msg) {
  console.log(`ok   ${msg}`);
}

const browser = await chromium.launch({
  executablePath: opts.chromium,
  headless: true,
  // --no-sandbox: containers often run as root, where Chromium's sandbox cannot start.
  // SwiftShader gives headless Chromium a WebGL implementation, which cornerstone3D renders with.
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });

const network = []; // every request to dPACS: method, url, status, content type, failure
const consoleErrors = []; // errors that fail the check
const consoleLog = []; // every error and warning, for console.json
const qidoStudies = new Map(); // StudyInstanceUID -> the QIDO-RS study object OHIF received
const metadata = new Map(); // SOPInstanceUID -> the WADO-RS metadata object OHIF received
let phase = 'start';

function watch(page) {
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const entry = { phase, type: m.type(), text: m.text().slice(0, 1000), location: m.location()?.url };
    consoleLog.push(entry);
    if (m.type() === 'error') consoleErrors.push(entry);
  });
  page.on('pageerror', (e) => {
    const entry = { phase, type: 'uncaught', text: `uncaught: ${e.message}`.slice(0, 1000) };
    consoleLog.push(entry);
    consoleErrors.push(entry);
  });
  page.on('requestfailed', (r) => {
    if (!r.url().startsWith(dicomweb)) return;
    network.push({ phase, method: r.method(), url: r.url(), accept: r.headers().accept, failure: r.failure()?.errorText });
  });
  page.on('response', async (r) => {
    if (!r.url().startsWith(dicomweb)) return;
    const entry = {
      phase,
      method: r.request().method(),
      url: r.url(),
      accept: r.request().headers().accept,
      status: r.status(),
      contentType: r.headers()['content-type'],
    };
    network.push(entry);
    const path = new URL(r.url()).pathname;
    const study = path.endsWith('/studies');
    if (r.status() === 200 && r.request().method() === 'GET' && (study || path.endsWith('/metadata'))) {
      try {
        for (const o of await r.json()) {
          if (study) qidoStudies.set(o['0020000D']?.Value?.[0], o);
          else metadata.set(o['00080018']?.Value?.[0], o);
        }
      } catch (e) {
        entry.bodyError = `${study ? 'QIDO-RS' : 'WADO-RS metadata'} body is not JSON: ${e.message}`;
      }
    }
  });
}

/** Pixel statistics of the largest viewport canvas, or null when there is none. */
async function canvasStats(page) {
  return page.evaluate(() => {
    const area = (c) => {
      const r = c.getBoundingClientRect();
      return r.width * r.height;
    };
    const canvases = [...document.querySelectorAll('.cornerstone-viewport-element canvas.cornerstone-canvas')]
      .filter((c) => c.width && c.height && area(c) > 0);
    if (canvases.length === 0) return null;
    const c = canvases.sort((a, b) => area(b) - area(a))[0];
    // Copy through drawImage, which works whatever context (2d or webgl) the canvas has.
    const copy = document.createElement('canvas');
    copy.width = c.width;
    copy.height = c.height;
    const ctx = copy.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    const levels = new Set();
    let lit = 0;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4) {
      const y = (d[i] * 299 + d[i + 1] * 587 + d[i + 2] * 114) / 1000;
      levels.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      if (y > 8) lit++;
      sum += d[i] + d[i + 1] + d[i + 2];
    }
    const pixels = d.length / 4;
    return { width: c.width, height: c.height, colours: levels.size, litFraction: lit / pixels, checksum: sum };
  });
}

function drawn(s) {
  return s !== null && s.colours >= 4 && s.litFraction >= 0.005;
}

async function waitForDrawn(page, ms, previous) {
  const end = Date.now() + ms;
  let last = null;
  while (Date.now() < end) {
    last = await canvasStats(page).catch(() => null);
    if (drawn(last) && (!previous || last.checksum !== previous.checksum)) return { drawn: true, stats: last };
    await page.waitForTimeout(250);
  }
  return { drawn: false, stats: last };
}

/**
 * The pixel values cornerstone decoded for the image the viewport shows (after the Modality LUT for monochrome
 * images), read through window.cornerstone, which OHIF exposes: min, max, mean and the same grid of block means as
 * manifest.py computes.
 */
async function decodedPixels(page, grid) {
  return page.evaluate((GRID) => {
    const cs = window.cornerstone;
    if (!cs?.getRenderingEngines) return { error: 'window.cornerstone.getRenderingEngines is not there' };
    const vp = cs.getRenderingEngines().flatMap((e) => e.getViewports()).find((v) => v.getCornerstoneImage);
    const img = vp?.getCornerstoneImage();
    const px = img?.getPixelData?.();
    if (!px) return { error: 'the viewport has no decoded image' };
    const { rows, columns } = img;
    const samples = px.length / (rows * columns);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < px.length; i++) {
      const v = px[i];
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    const r = Array.from({ length: GRID + 1 }, (_, i) => Math.floor((i * rows) / GRID));
    const c = Array.from({ length: GRID + 1 }, (_, j) => Math.floor((j * columns) / GRID));
    const blocks = [];
    for (let i = 0; i < GRID; i++) {
      for (let j = 0; j < GRID; j++) {
        let total = 0;
        let n = 0;
        for (let y = r[i]; y < Math.max(r[i + 1], r[i] + 1); y++) {
          for (let x = c[j]; x < Math.max(c[j + 1], c[j] + 1); x++) {
            for (let k = 0; k < samples; k++) total += px[(y * columns + x) * samples + k];
            n += samples;
          }
        }
        blocks.push(total / n);
      }
    }
    return {
      frame: vp.getCurrentImageIdIndex() + 1,
      rows,
      columns,
      samples: img.color ? 3 : 1,
      min,
      max,
      mean: sum / px.length,
      grid: blocks,
    };
  }, grid);
}

function correlation(a, b) {
  const mean = (v) => v.reduce((x, y) => x + y, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/**
 * Compares what cornerstone decoded with what the reference decoder makes of the file. Always: the same size and
 * the same picture (the block means correlate at 0.98 or more; a wrong frame, byte order or truncated stream does
 * not). For lossless transfer syntaxes also the same values: min, max and mean within 0.5% of the value range. For
 * lossy ones two correct decoders may differ, so a value difference is only reported.
 */
function comparePixels(m, frame, got) {
  if (m.pixels?.unavailable) return { skipped: `no reference decoder here (${m.pixels.unavailable.split(':')[0]})` };
  const want = m.pixels[String(frame)];
  if (got.error) return { error: got.error };
  if (got.frame !== frame) return { error: `the viewport shows frame ${got.frame}, expected ${frame}` };
  const problems = [];
  for (const k of ['rows', 'columns', 'samples']) if (got[k] !== want[k]) problems.push(`${k} ${got[k]} != ${want[k]}`);
  if (problems.length) return { error: `decoded frame ${frame} differs from ${want.decoder}'s: ${problems.join(', ')}` };
  const r = correlation(got.grid, want.grid);
  const flat = Number.isNaN(r);
  if (flat ? Math.max(...got.grid.map((v, i) => Math.abs(v - want.grid[i]))) > 1 : r < 0.98) {
    return { error: `decoded frame ${frame} is not the picture ${want.decoder} decodes (block-mean correlation ${r.toFixed(3)})` };
  }
  const tolerance = Math.max(1, 0.005 * (want.max - want.min));
  const off = ['min', 'max', 'mean'].filter((k) => Math.abs(got[k] - want[k]) > tolerance)
    .map((k) => `${k} ${+got[k].toFixed(2)} vs ${+want[k].toFixed(2)}`);
  const same = `frame ${frame} is the picture ${want.decoder} decodes${flat ? '' : ` (r=${r.toFixed(4)})`}`;
  if (off.length && !m.lossy) return { error: `decoded frame ${frame} values differ from ${want.decoder}'s: ${off.join(', ')}` };
  if (off.length) {
    return { ok: same, note: `frame ${frame} (lossy ${m.transferSyntaxUID}) decodes to other values in OHIF than in ${want.decoder}: ${off.join(', ')}` };
  }
  return { ok: `${same}, values match (min ${got.min}, max ${got.max}, mean ${got.mean.toFixed(1)})` };
}

/** Closes OHIF's first-visit tour if it shows, so screenshots show the image. */
async function dismissTour(page) {
  const skip = page.locator('.shepherd-element button', { hasText: 'Skip all' });
  if (await skip.count()) await skip.first().click().catch(() => {});
}

/** What OHIF's display sets say about themselves (warnings on thumbnails), when OHIF exposes its services. */
async function displaySetMessages(page) {
  return page.evaluate(() => {
    const ds = window.services?.displaySetService?.getActiveDisplaySets?.() ?? [];
    return ds.map((d) => ({
      modality: d.Modality,
      images: d.numImageFrames ?? d.images?.length,
      messages: (d.messages?.messages ?? []).map((m) => m.id ?? String(m)),
    }));
  }).catch(() => []);
}

const t0 = Date.now();
try {
  await run(await context.newPage());
} catch (e) {
  fail(`${phase}: ${e.message.split('\n')[0]}`);
} finally {
  await browser.close();
}

async function run(page) {
  watch(page);

  // 1. Study list.
  phase = 'study list';
  await page.goto(`${ohif}/`, { waitUntil: 'load' });
  const names = manifest.map((m) => formatPN(m.patientName.Alphabetic));
  try {
    await page.waitForFunction(
      (expected) => expected.every((n) => document.body.innerText.includes(n)),
      names,
      { timeout: timeoutMs },
    );
    ok(`study list shows all ${manifest.length} patients: ${names.join(' | ')}`);
  } catch {
    const text = await page.evaluate(() => document.body.innerText).catch(() => '');
    const missing = names.filter((n) => !text.includes(n));
    fail(`study list is missing ${missing.map((n) => `"${n}"`).join(', ')} after ${opts.timeout}s`);
    if (missing.length === names.length) {
      await page.screenshot({ path: join(opts.out, 'study-list.png') });
      // Nothing reached OHIF: the requests below say why; every further step would only time out the same way.
      throw new Error('OHIF listed no study from dPACS, so the other checks were skipped');
    }
  }
  await page.screenshot({ path: join(opts.out, 'study-list.png') });

  /** Fails unless the PatientName OHIF received (in a QIDO-RS or metadata object) has pydicom's three groups. */
  function checkName(m, object, what) {
    if (!object) {
      fail(`${m.file}: no ${what} for it reached OHIF`);
      return false;
    }
    const pn = object['00100010']?.Value?.[0] ?? {};
    const wrong = ['Alphabetic', 'Ideographic', 'Phonetic'].filter((g) => (pn[g] ?? '') !== m.patientName[g]);
    if (wrong.length) {
      fail(`${m.file}: ${what} PatientName ${JSON.stringify(pn)} differs from pydicom's ${JSON.stringify(m.patientName)} in ${wrong.join(', ')}`);
      return false;
    }
    return true;
  }

  const nonAscii = (m) => /[^\x00-\x7f]/.test(Object.values(m.patientName).join(''));
  for (const m of manifest) {
    if (checkName(m, qidoStudies.get(m.studyInstanceUID), 'QIDO-RS study result') && nonAscii(m)) {
      ok(`${m.file}: QIDO-RS PatientName decoded as pydicom does: ${Object.values(m.patientName).filter(Boolean).join('=')}`);
    }
  }

  // 2. Searching by a non-ASCII patient name: OHIF sends PatientName=*text* to QIDO-RS, dPACS must match it, and
  // the list must narrow to that patient. (OHIF also filters the list itself on the Alphabetic group it shows, so only
  // names whose Alphabetic group is non-ASCII are searched for; an Ideographic-only search is hidden by OHIF.)
  phase = 'study list search';
  for (const m of manifest.filter((x) => /[^\x00-\x7f]/.test(x.patientName.Alphabetic))) {
    const typed = [...m.patientName.Alphabetic].slice(0, 3).join('');
    const shown = formatPN(m.patientName.Alphabetic);
    const others = names.filter((n) => n !== shown);
    try {
      // The patient name filter is the first text input of the study list.
      const answer = page.waitForResponse((r) => r.url().startsWith(dicomweb) &&
        new URL(r.url()).searchParams.get('PatientName')?.includes(typed), { timeout: timeoutMs });
      await page.locator('input').first().fill(typed);
      const res = await answer;
      const found = res.status() === 200 ? (await res.json()).map((st) => st['0020000D']?.Value?.[0]) : [];
      const strays = manifest.filter((x) => x !== m && found.includes(x.studyInstanceUID)).map((x) => x.file);
      if (!found.includes(m.studyInstanceUID) || strays.length) {
        fail(`search "${typed}": ${res.request().method()} ${res.url()} -> ${res.status()} with studies ` +
          `${JSON.stringify(found)}; expected ${m.studyInstanceUID} (${m.file}) alone`);
        continue;
      }
      await page.waitForFunction(([want, not]) => {
        const text = document.body.innerText;
        return text.includes(want) && not.every((n) => !text.includes(n));
      }, [shown, others], { timeout: timeoutMs });
      ok(`search "${typed}": QIDO-RS PatientName=${new URL(res.url()).searchParams.get('PatientName')} finds that study alone; the list shows only ${shown}`);
    } catch (e) {
      fail(`search "${typed}" did not narrow the study list to ${shown}: ${e.message.split('\n')[0]}`);
    }
  }
  await page.locator('input').first().fill('').catch(() => {});

  // 3. Each study in the viewer.
  for (const m of manifest) {
    phase = `viewer ${m.file}`;
    const shot = join(opts.out, `viewer-${m.file.replace(/\.dcm$/, '')}.png`);
    const t = Date.now();
    await page.goto(`${ohif}/viewer?StudyInstanceUIDs=${encodeURIComponent(m.studyInstanceUID)}`, { waitUntil: 'load' });
    const first = await waitForDrawn(page, timeoutMs);
    await dismissTour(page);
    if (!first.drawn) {
      fail(`${m.file}: the viewport drew no image within ${opts.timeout}s (canvas ${JSON.stringify(first.stats)})`);
      await page.screenshot({ path: shot });
      continue;
    }
    let detail = `${first.stats.colours} colours, ${(first.stats.litFraction * 100).toFixed(0)}% of the canvas lit`;
    const checkPixels = async (frame) => {
      const r = comparePixels(m, frame, await decodedPixels(page, GRID));
      if (r.error) fail(`${m.file}: ${r.error}`);
      else detail += `; ${r.ok ?? `pixels not compared: ${r.skipped}`}`;
      if (r.note) notes.push(`${m.file}: ${r.note}`);
    };
    await checkPixels(1);
    if (m.frames > 1) {
      // Scroll to the last frame: each frame is one WADO-RS frame request; the canvas has to change.
      await page.locator('canvas.cornerstone-canvas').first().hover();
      for (let i = 1; i < m.frames; i++) await page.keyboard.press('ArrowDown');
      const last = await waitForDrawn(page, timeoutMs, first.stats);
      if (!last.drawn) {
        fail(`${m.file}: frame ${m.frames} of ${m.frames} did not draw a new image (canvas ${JSON.stringify(last.stats)})`);
      } else {
        detail += `; frame ${m.frames}/${m.frames} drawn`;
        await checkPixels(m.frames);
      }
    }
    await page.waitForLoadState('networkidle').catch(() => {});
    await page.waitForTimeout(500); // let overlays and thumbnails settle for the screenshot
    await page.screenshot({ path: shot });
    // NOT_RECONSTRUCTABLE is what any single image gets (no volume from one slice): not worth a note.
    const messages = (await displaySetMessages(page))
      .map((d) => ({ ...d, messages: d.messages.filter((id) => !(id === 3 && d.images === 1)) }))
      .filter((d) => d.messages.length);
    for (const d of messages) {
      notes.push(`${m.file}: OHIF flags the ${d.modality} display set: ${d.messages.map((id) => MESSAGES[id] ?? id).join(', ')}`);
    }
    ok(`${m.file} (${m.modality}, ${m.transferSyntaxUID}): image drawn in ${((Date.now() - t) / 1000).toFixed(1)}s, ${detail}`);
  }

  for (const m of manifest) {
    if (checkName(m, metadata.get(m.sopInstanceUID), 'WADO-RS metadata') && nonAscii(m)) {
      ok(`${m.file}: WADO-RS metadata PatientName decoded as pydicom does too`);
    }
  }

  // 5. Negative control: a study dPACS does not have must not pass as drawn.
  phase = 'negative control';
  const ghost = `2.25.${BigInt(`0x${randomBytes(15).toString('hex')}`)}`;
  await page.goto(`${ohif}/viewer?StudyInstanceUIDs=${ghost}`, { waitUntil: 'load' });
  const ghostDrawn = await waitForDrawn(page, 5000);
  if (ghostDrawn.drawn) fail(`negative control: a study dPACS does not hold (${ghost}) passed as drawn; the pixel check is broken`);
  else ok('negative control: an unknown study draws nothing, as it should');
}


// 4. Network and console. The negative control's own 404s and errors are expected and only reported.
const control = (x) => x.phase === 'negative control';
for (const n of network.filter((x) => control(x) && (x.failure || x.status >= 400))) {
  notes.push(`negative control: ${n.method} ${n.url} -> ${n.failure ?? n.status}`);
}
for (const e of consoleErrors.filter(control)) notes.push(`negative control: console error: ${e.text.slice(0, 200)}`);
const bad = network.filter((n) => !control(n) && (n.failure || n.status >= 400));
for (const n of bad.slice(0, 20)) {
  fail(`${n.phase}: ${n.method} ${n.url} (Accept: ${n.accept ?? '-'}) -> ${n.failure ?? `${n.status} ${n.contentType ?? ''}`}`);
}
if (bad.length > 20) fail(`... and ${bad.length - 20} more failed requests to dPACS (all in network.json)`);
if (bad.length === 0) ok(`${network.length} requests to dPACS, none failed`);
const errors = consoleErrors.filter((e) => !control(e));
for (const e of errors.slice(0, 20)) {
  fail(`${e.phase}: console error: ${e.text}${e.location ? ` (${e.location})` : ''}`);
}
if (errors.length > 20) fail(`... and ${errors.length - 20} more console errors (all in console.json)`);
if (errors.length === 0) ok('no console errors');
writeFileSync(join(opts.out, 'network.json'), JSON.stringify(network, null, 1) + '\n');
writeFileSync(join(opts.out, 'console.json'), JSON.stringify(consoleLog, null, 1) + '\n');

for (const n of notes) console.log(`note ${n}`);
const secs = ((Date.now() - t0) / 1000).toFixed(1);
if (failures.length) {
  console.error(`\nohif-check: ${failures.length} failure(s) in ${secs}s; screenshots and network.json in ${opts.out}`);
  process.exit(1);
}
console.log(`\nohif-check: OHIF showed all ${manifest.length} studies from dPACS in ${secs}s; screenshots in ${opts.out}`);
