// Uploads a file to the Tafel blob store with tus-js-client in small chunks, aborts midway,
// resumes from the URL tus-js-client stored for the file's fingerprint, and prints one JSON line:
// {"firstUrl", "resumedUrl", "abortedAt", "offsetSeenOnResume", "blobId", "deleteToken"}.
//
//   node tus-resume.js ENDPOINT TOKEN FILE URL_STORAGE_FILE CHUNK_SIZE ABORT_AFTER_BYTES
'use strict';
const fs = require('fs');
const tus = require('tus-js-client');

const [endpoint, token, file, storagePath, chunkSizeText, abortAfterText] = process.argv.slice(2);
const chunkSize = Number(chunkSizeText);
const abortAfter = Number(abortAfterText);
const urlStorage = new tus.FileUrlStorage(storagePath);

function options(extra) {
  return Object.assign(
    {
      endpoint,
      chunkSize,
      headers: { Authorization: 'Bearer ' + token },
      metadata: { 'Tafel-Downloads': '5' },
      urlStorage,
      retryDelays: [0, 100, 300, 1000, 2000],
    },
    extra,
  );
}

function fail(message) {
  process.stderr.write('tus-resume: ' + message + '\n');
  process.exit(1);
}

async function firstAttempt() {
  return new Promise((resolve, reject) => {
    let aborted = false;
    const upload = new tus.Upload(
      fs.createReadStream(file),
      options({
        onProgress(sent) {
          if (!aborted && sent >= abortAfter) {
            aborted = true;
            // Interrupt in the middle of a PATCH, as a dropped connection would.
            upload.abort(false).then(() => resolve({ url: upload.url, abortedAt: sent }), reject);
          }
        },
        onSuccess() {
          reject(new Error('first attempt finished before it was interrupted'));
        },
        onError: reject,
      }),
    );
    upload.start();
  });
}

async function resume() {
  return new Promise((resolve, reject) => {
    let blobId = null;
    let deleteToken = null;
    let offsetSeenOnResume = null;
    const upload = new tus.Upload(
      fs.createReadStream(file),
      options({
        onAfterResponse(req, res) {
          if (req.getMethod() === 'HEAD' && offsetSeenOnResume === null) {
            offsetSeenOnResume = Number(res.getHeader('Upload-Offset'));
          }
          if (res.getHeader('Tafel-Blob-Id')) {
            blobId = res.getHeader('Tafel-Blob-Id');
            deleteToken = res.getHeader('Tafel-Delete-Token');
          }
        },
        onSuccess() {
          resolve({ url: upload.url, blobId, deleteToken, offsetSeenOnResume });
        },
        onError: reject,
      }),
    );
    upload
      .findPreviousUploads()
      .then((previous) => {
        if (previous.length === 0) {
          reject(new Error('no previous upload stored for this file'));
          return;
        }
        upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      }, reject);
  });
}

(async () => {
  const first = await firstAttempt();
  const second = await resume();
  process.stdout.write(
    JSON.stringify({
      firstUrl: first.url,
      resumedUrl: second.url,
      abortedAt: first.abortedAt,
      offsetSeenOnResume: second.offsetSeenOnResume,
      blobId: second.blobId,
      deleteToken: second.deleteToken,
    }) + '\n',
  );
})().catch((e) => fail(e && e.stack ? e.stack : String(e)));
