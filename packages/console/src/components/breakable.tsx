import { Fragment } from 'react';

/** Emails and host names wrap after "@" and "." rather than mid-word; <wbr> is not copied with the text. */
export function Breakable({ text }: { text: string }) {
  return (
    <>
      {text.split(/(?<=[@.])/).map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}
