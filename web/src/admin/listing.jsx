// What every list of the dashboard shows around its items: the last action's notice and
// error, a loading line until the first answer, a line saying the list is empty, and
// otherwise the items: `children` is a function that renders them, called only when
// there are some.
import { Alert } from '../common/alert.jsx';

export function Listing({ items, error, notice, loading, none, children }) {
  return (
    <>
      <Alert kind="ok">{notice}</Alert>
      <Alert>{error}</Alert>
      {items === null && !error && loading && <p class="muted">{loading}</p>}
      {items && items.length === 0 && <p class="muted">{none}</p>}
      {items && items.length > 0 && children()}
    </>
  );
}
