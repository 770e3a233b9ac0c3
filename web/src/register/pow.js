// The ALTCHA proof of work, pure: the number n ≤ maxnumber with hex SHA-256(salt + n) =
// challenge. The page runs it in a worker (pow-worker.js); the tests call it directly.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/// The solving number, or null when there is none; `onProgress(0..1)` about 100 times.
export function solveChallenge(c, onProgress = () => {}) {
  if (c.algorithm !== 'SHA-256') throw new Error(`unsupported algorithm ${c.algorithm}`);
  const max = Number(c.maxnumber);
  const step = Math.max(1, Math.floor(max / 100));
  for (let n = 0; n <= max; n++) {
    if (bytesToHex(sha256(utf8ToBytes(c.salt + n))) === c.challenge) return n;
    if (n % step === 0) onProgress(n / max);
  }
  return null;
}
