// A labelled select of a view's filter bar. `options` are values shown as they are, or
// [value, text] pairs; `all`, when given, is the text of the empty choice that filters nothing.
export function FilterSelect({ id, label, value, onChange, all, options }) {
  return (
    <div>
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={onChange}>
        {all && <option value="">{all}</option>}
        {options.map((o) => {
          const [v, text] = Array.isArray(o) ? o : [o, o];
          return <option value={v}>{text}</option>;
        })}
      </select>
    </div>
  );
}
