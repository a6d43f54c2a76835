// Stores DICOM files in one STOW-RS request (PS3.18 10.5) and fails unless every instance was stored.
// Usage: node stow.mjs DICOMWEB_ROOT FILE...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { randomUUID } from 'node:crypto';

const [root, ...files] = process.argv.slice(2);
if (!root || files.length === 0) {
  console.error('usage: node stow.mjs DICOMWEB_ROOT FILE...');
  process.exit(2);
}
const boundary = `dpacs-e2e-${randomUUID()}`;
const chunks = [];
for (const f of files) {
  chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`));
  chunks.push(readFileSync(f));
  chunks.push(Buffer.from('\r\n'));
}
chunks.push(Buffer.from(`--${boundary}--\r\n`));

const res = await fetch(`${root}/studies`, {
  method: 'POST',
  headers: {
    'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
    Accept: 'application/dicom+json',
  },
  body: Buffer.concat(chunks),
});
const text = await res.text();
let body;
try {
  body = JSON.parse(text);
} catch {
  body = null;
}
const referenced = body?.['00081199']?.Value ?? [];
const failed = body?.['00081198']?.Value ?? [];
if (res.status !== 200 || referenced.length !== files.length || failed.length > 0) {
  console.error(`STOW-RS ${root}/studies answered ${res.status} ${res.headers.get('content-type') ?? ''}:`);
  console.error(text.slice(0, 4000));
  console.error(`expected 200 with ${files.length} referenced instances and no failures`);
  process.exit(1);
}
console.log(`STOW-RS stored ${referenced.length} instances (${files.map((f) => basename(f)).join(', ')})`);
