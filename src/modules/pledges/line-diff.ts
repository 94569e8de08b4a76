export type DiffOp = 'same' | 'added' | 'removed';

export interface DiffLine {
  op: DiffOp;
  text: string;
  /** 1-based line numbers in the old and the new text; null where the line is absent. */
  oldLine: number | null;
  newLine: number | null;
}

/** Above this many cells the LCS table would be too large for a request; compare coarsely. */
const MAX_CELLS = 4_000_000;

/**
 * A line diff by longest common subsequence: lines kept in order in both texts are 'same',
 * the rest are 'removed' (old only) or 'added' (new only). Common head and tail lines are
 * matched first, so a small edit to a long text costs a small table.
 */
export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = oldText.replace(/\r\n?/g, '\n').split('\n');
  const b = newText.replace(/\r\n?/g, '\n').split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  const same = (text: string): void => {
    out.push({ op: 'same', text, oldLine: ++i, newLine: ++j });
  };
  const removed = (text: string): void => {
    out.push({ op: 'removed', text, oldLine: ++i, newLine: null });
  };
  const added = (text: string): void => {
    out.push({ op: 'added', text, oldLine: null, newLine: ++j });
  };

  for (let k = 0; k < head; k++) same(a[k]);
  const n = midA.length;
  const m = midB.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    midA.forEach(removed);
    midB.forEach(added);
  } else {
    // lcs[x][y] = length of the LCS of midA[x..] and midB[y..].
    const width = m + 1;
    const lcs = new Uint32Array((n + 1) * width);
    for (let x = n - 1; x >= 0; x--)
      for (let y = m - 1; y >= 0; y--)
        lcs[x * width + y] =
          midA[x] === midB[y]
            ? lcs[(x + 1) * width + y + 1] + 1
            : Math.max(lcs[(x + 1) * width + y], lcs[x * width + y + 1]);
    let x = 0;
    let y = 0;
    while (x < n && y < m) {
      if (midA[x] === midB[y]) {
        same(midA[x]);
        x++;
        y++;
      } else if (lcs[(x + 1) * width + y] >= lcs[x * width + y + 1]) {
        removed(midA[x]);
        x++;
      } else {
        added(midB[y]);
        y++;
      }
    }
    for (; x < n; x++) removed(midA[x]);
    for (; y < m; y++) added(midB[y]);
  }
  for (let k = a.length - tail; k < a.length; k++) same(a[k]);
  return out;
}
