/**
 * The usage page's charts, drawn by hand (a bar chart is a few rectangles: no chart library's
 * weight for it). Each chart is readable without sight: the SVG is one image with a summary for
 * screen readers, each bar has a tooltip, and the exact figures are a table one click away.
 */
import type { ReactNode } from 'react';

export interface DayFigure {
  day: string;
  value: number;
}

const HEIGHT = 140;
const BAR_GAP = 0.2;

/** Every UTC day from `from` to `to` (YYYY-MM-DD), so days without calls show as gaps, not as missing days. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end && out.length < 400; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** A column per day of the period; the tallest is the period's busiest day. */
export function DailyBars({ id, title, days, unit }: { id: string; title: string; days: DayFigure[]; unit: string }) {
  const max = Math.max(0, ...days.map((d) => d.value));
  const total = days.reduce((sum, d) => sum + d.value, 0);
  const busiest = days.find((d) => d.value === max);
  const width = Math.max(days.length, 1) * 10;
  const summary = total === 0
    ? `No ${unit} from ${days[0]?.day ?? ''} to ${days.at(-1)?.day ?? ''}.`
    : `${total.toLocaleString()} ${unit} over ${days.length} days; the busiest day was ${busiest?.day} with ${max.toLocaleString()}.`;
  return (
    <figure className="chart card" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">{title}</figcaption>
      <div className="chart-frame">
        <span className="chart-max muted small" aria-hidden="true">{max.toLocaleString()}</span>
        <svg viewBox={`0 0 ${width} ${HEIGHT}`} preserveAspectRatio="none" role="img" aria-label={summary} className="chart-svg">
          <line x1="0" x2={width} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} className="chart-axis" />
          {days.map((d, i) => {
            const h = max === 0 ? 0 : Math.max(d.value > 0 ? 2 : 0, (d.value / max) * (HEIGHT - 4));
            return (
              <rect key={d.day} x={i * 10 + BAR_GAP * 5} width={10 * (1 - BAR_GAP)} y={HEIGHT - h} height={h} className="chart-bar" data-day={d.day} data-value={d.value}>
                <title>{`${d.day}: ${d.value.toLocaleString()} ${unit}`}</title>
              </rect>
            );
          })}
        </svg>
      </div>
      <div className="chart-days muted small" aria-hidden="true">
        <span>{days[0]?.day}</span>
        <span>{days.at(-1)?.day}</span>
      </div>
      <details>
        <summary className="small">As a table</summary>
        <table className="compact">
          <caption className="visually-hidden">{title}</caption>
          <thead><tr><th scope="col">Day</th><th scope="col" className="num">{unit}</th></tr></thead>
          <tbody>
            {days.filter((d) => d.value > 0).map((d) => (
              <tr key={d.day}><td>{d.day}</td><td className="num">{d.value.toLocaleString()}</td></tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** Horizontal bars: each part's share of the whole, largest first, with its figure beside it. */
export function ShareBars({ id, title, parts, unit }: { id: string; title: string; parts: Array<{ key: string; label: ReactNode; value: number }>; unit: string }) {
  const sorted = [...parts].filter((p) => p.value > 0).sort((a, b) => b.value - a.value);
  const max = sorted[0]?.value ?? 0;
  return (
    <figure className="chart card" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">{title}</figcaption>
      {sorted.length === 0 ? (
        <p className="muted small">No {unit} in this period.</p>
      ) : (
        <ul className="share-bars" aria-labelledby={`${id}-title`}>
          {sorted.map((p) => (
            <li key={p.key}>
              <span className="share-label">{p.label}</span>
              <span className="share-track" aria-hidden="true"><span className="share-bar" style={{ width: `${(p.value / max) * 100}%` }} /></span>
              <span className="share-value num">{p.value.toLocaleString()}<span className="visually-hidden"> {unit}</span></span>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
