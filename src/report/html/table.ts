/** A table whose cells are already HTML (escaped by the caller); `num` columns align right. */
export interface ColumnSpec {
  readonly head: string;
  readonly num?: boolean;
  readonly className?: string;
}

export function table(columns: readonly ColumnSpec[], rows: readonly (readonly string[])[], emptyText = 'None.'): string {
  if (rows.length === 0) return `<p class="muted">${emptyText}</p>`;
  const cls = (c: ColumnSpec | undefined): string => {
    const names = [c?.num ? 'num' : '', c?.className ?? ''].filter(Boolean).join(' ');
    return names ? ` class="${names}"` : '';
  };
  const head = columns.map((c) => `<th${cls(c)} scope="col">${c.head}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td${cls(columns[i])}>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export function stat(label: string, value: string): string {
  return `<div class="stat"><span>${label}</span><b>${value}</b></div>`;
}
