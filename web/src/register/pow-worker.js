// Solves an ALTCHA proof-of-work challenge off the page's thread: finds the number n ≤
// maxnumber with hex SHA-256(salt + n) = challenge, reporting progress as it goes.
// In:  {algorithm, challenge, salt, signature, maxnumber}
// Out: {progress: 0..1} several times, then {number} or {error}.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

self.onmessage = ({ data: c }) => {
  if (c.algorithm !== 'SHA-256') {
    self.postMessage({ error: `unsupported algorithm ${c.algorithm}` });
    return;
  }
  const max = Number(c.maxnumber);
  const step = Math.max(1, Math.floor(max / 100));
  for (let n = 0; n <= max; n++) {
    if (bytesToHex(sha256(utf8ToBytes(c.salt + n))) === c.challenge) {
      self.postMessage({ progress: 1 });
      self.postMessage({ number: n });
      return;
    }
    if (n % step === 0) self.postMessage({ progress: n / max });
  }
  self.postMessage({ error: 'no solution' });
};
