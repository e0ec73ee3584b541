import { Fragment } from "react";

/** After each separator of a field path (`.`, `[`, `]`, `/`, `=`), so `a.b[id=3].c` splits into its parts. */
const SEGMENT = /[^.[\]/=]*[.[\]/=]?/g;

/**
 * A field path that wraps at its separators rather than one character per line in a narrow
 * column; a single segment longer than the column still breaks anywhere.
 */
export function PathText({ path }: { path: string }) {
  const parts = path.match(SEGMENT)?.filter(Boolean) ?? [path];
  return (
    <>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {i > 0 ? <wbr /> : null}
          {part}
        </Fragment>
      ))}
    </>
  );
}
