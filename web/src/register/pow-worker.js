// Solves an ALTCHA proof-of-work challenge off the page's thread (see pow.js).
// In:  {algorithm, challenge, salt, signature, maxnumber}
// Out: {progress: 0..1} several times, then {number} or {error}.
import { solveChallenge } from './pow.js';

self.onmessage = ({ data: challenge }) => {
  try {
    const number = solveChallenge(challenge, (progress) => self.postMessage({ progress }));
    if (number === null) {
      self.postMessage({ error: 'no solution' });
      return;
    }
    self.postMessage({ progress: 1 });
    self.postMessage({ number });
  } catch (e) {
    self.postMessage({ error: e.message });
  }
};
