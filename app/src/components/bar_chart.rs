//! A bar chart of amounts, drawn as SVG by us (no chart library in the bundle). Each bar is
//! focusable and tells its value on hover and focus; a table carries the same figures for
//! screen readers.

use crate::domain::Money;
use leptos::prelude::*;

/// One bar: its axis label, the year printed under it (first bar, January), its full name,
/// and the amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub short: String,
    pub year: Option<String>,
    pub long: String,
    pub cents: i64,
}

const WIDTH: i64 = 720;
const HEIGHT: i64 = 260;
/// Room below the bars for the month names and years, and above for the hovered value.
const AXIS: i64 = 52;
const TOP: i64 = 30;

#[component]
pub fn BarChart(
    /// What the chart shows, read out first.
    title: String,
    bars: Vec<Bar>,
) -> impl IntoView {
    let max = bars.iter().map(|b| b.cents).max().unwrap_or(0).max(1);
    let slot = WIDTH / (bars.len().max(1) as i64);
    let bar_width = (slot * 3 / 5).max(4);
    let plot = HEIGHT - AXIS - TOP;
    let rows = bars.clone();
    let drawn = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            // Negative months (more refunded than received) sit on the axis.
            let height = if bar.cents > 0 { (bar.cents * plot / max).max(2) } else { 0 };
            let x = i as i64 * slot + (slot - bar_width) / 2;
            let y = TOP + plot - height;
            let value = Money::from_cents(bar.cents).to_string();
            let label = format!("{} : {value}", bar.long);
            let center = x + bar_width / 2;
            view! {
                <g class="bar" tabindex="0" role="img" aria-label=label.clone() data-month=bar.long.clone()>
                    <title>{label.clone()}</title>
                    // The whole column reacts to the pointer, not only the (maybe tiny) bar.
                    <rect class="bar-hit" x={i as i64 * slot} y="0" width=slot height={HEIGHT - AXIS}></rect>
                    <rect class="bar-fill" x=x y=y width=bar_width height=height rx="3"></rect>
                    <text class="bar-value" x=center y={(y - 6).max(12)} text-anchor="middle">{value}</text>
                    <text class="bar-axis" x=center y={HEIGHT - AXIS + 24} text-anchor="middle">{bar.short}</text>
                    {bar.year.map(|year| view! {
                        <text class="bar-axis bar-year" x=center y={HEIGHT - 4} text-anchor="middle">{year}</text>
                    })}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="group"
                aria-label=title
                preserveAspectRatio="xMidYMid meet"
            >
                // The scale: the best month's amount at the top.
                <line class="chart-grid" x1="0" x2=WIDTH y1=TOP y2=TOP></line>
                <text class="chart-scale" x="0" y={TOP - 6}>{Money::from_cents(max).to_string()}</text>
                <line class="chart-base" x1="0" x2=WIDTH y1={TOP + plot} y2={TOP + plot}></line>
                {drawn}
            </svg>
            <table class="sr-only">
                <thead><tr><th scope="col">"Mois"</th><th scope="col">"Montant"</th></tr></thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|b| view! { <tr><th scope="row">{b.long}</th><td>{Money::from_cents(b.cents).to_string()}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
        </figure>
    }
}
