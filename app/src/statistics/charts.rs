//! Bar charts drawn on the server as SVG with plotters. The browser renders the
//! text, so no font files are needed; the data table beside each chart is the
//! accessible reading of it.
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

/// Colours of the series, from the site's palette (style/main.css).
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0x1d, 0x4e, 0xd8), // primary
    RGBColor(0x05, 0x96, 0x69), // ok
    RGBColor(0xd9, 0x77, 0x06), // warn
    RGBColor(0xdc, 0x26, 0x26), // danger
    RGBColor(0x6b, 0x72, 0x80), // muted
    RGBColor(0x7c, 0x3a, 0xed),
];
const TEXT: RGBColor = RGBColor(0x1f, 0x29, 0x37);
const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
const FONT: &str = "sans-serif";
/// Large enough to read once the browser scales a chart down to its column.
const LABEL_SIZE: u32 = 15;

pub struct Series {
    pub label: String,
    pub values: Vec<f64>,
}

/// Bars per category: one series, or several stacked (or side by side).
pub struct BarChart {
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Bars run left to right with the categories down the side (long names).
    pub horizontal: bool,
    /// Several series side by side instead of stacked (vertical charts).
    pub grouped: bool,
    /// Axis values as text (counts, hours, percentages).
    pub value_label: fn(f64) -> String,
    /// The value axis' upper end at least this (e.g. 1.0 for shares).
    pub min_top: f64,
}

#[derive(Debug, thiserror::Error)]
#[error("chart could not be drawn: {0}")]
pub struct ChartError(String);

fn failed<E: std::fmt::Debug>(error: E) -> ChartError {
    ChartError(format!("{error:?}"))
}

pub fn count_label(v: f64) -> String {
    format!("{v:.0}")
}

pub fn percent_label(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

pub fn hours_label(v: f64) -> String {
    format!("{v:.1} h")
}

impl BarChart {
    fn top(&self) -> f64 {
        let tallest = (0..self.categories.len())
            .map(|i| {
                let values = self
                    .series
                    .iter()
                    .map(|s| s.values.get(i).copied().unwrap_or(0.0).max(0.0));
                if self.grouped {
                    values.fold(0.0_f64, f64::max)
                } else {
                    values.sum::<f64>()
                }
            })
            .fold(0.0_f64, f64::max);
        // Headroom above the tallest bar, and never an empty axis.
        let top = (tallest * 1.1).max(self.min_top);
        if top > 0.0 { top } else { 1.0 }
    }

    pub fn to_svg(&self) -> Result<String, ChartError> {
        let rows = self.categories.len().max(1);
        let (width, height) = if self.horizontal {
            (720, u32::try_from(64 + rows * 32).unwrap_or(2000).min(2000))
        } else {
            (720, 320)
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
            root.fill(&WHITE).map_err(failed)?;
            if self.horizontal {
                self.draw_horizontal(&root, rows)?;
            } else {
                self.draw_vertical(&root, rows)?;
            }
            root.present().map_err(failed)?;
        }
        Ok(svg)
    }

    fn legend(&self) -> bool {
        self.series.len() > 1
    }

    fn draw_vertical(
        &self,
        root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
        rows: usize,
    ) -> Result<(), ChartError> {
        let top = self.top();
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(76)
            .build_cartesian_2d((0..rows).into_segmented(), 0.0..top)
            .map_err(failed)?;
        let label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) => self.categories.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(rows)
            .x_label_formatter(&label)
            .y_labels(6)
            .y_label_formatter(&|v| (self.value_label)(*v))
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(TEXT.mix(0.5))
            .label_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .draw()
            .map_err(failed)?;
        let mut base = vec![0.0; rows];
        // Side by side: each series takes its share of a category's width.
        let segment = chart.plotting_area().dim_in_pixel().0 / u32::try_from(rows).unwrap_or(1);
        let k = u32::try_from(self.series.len()).unwrap_or(1).max(1);
        let share = segment.saturating_sub(12) / k;
        for (n, series) in self.series.iter().enumerate() {
            let color = PALETTE[n % PALETTE.len()];
            let n32 = u32::try_from(n).unwrap_or(0);
            let bars: Vec<Rectangle<(SegmentValue<usize>, f64)>> = (0..rows)
                .map(|i| {
                    let v = series.values.get(i).copied().unwrap_or(0.0).max(0.0);
                    let from = if self.grouped { 0.0 } else { base[i] };
                    base[i] += v;
                    let mut bar = Rectangle::new(
                        [
                            (SegmentValue::Exact(i), from),
                            (SegmentValue::Exact(i + 1), from + v),
                        ],
                        color.filled(),
                    );
                    if self.grouped {
                        bar.set_margin(0, 0, 6 + n32 * share, 6 + (k - 1 - n32) * share);
                    } else {
                        bar.set_margin(0, 0, 6, 6);
                    }
                    bar
                })
                .collect();
            let drawn = chart.draw_series(bars).map_err(failed)?;
            if self.legend() {
                drawn.label(series.label.clone()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
            }
        }
        self.draw_legend(&mut chart)
    }

    fn draw_horizontal(
        &self,
        root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
        rows: usize,
    ) -> Result<(), ChartError> {
        let top = self.top();
        let longest = self
            .categories
            .iter()
            .map(|c| {
                c.chars()
                    .map(|ch| if ch.is_ascii() { 7 } else { 13 })
                    .sum::<u32>()
            })
            .max()
            .unwrap_or(40);
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(longest.clamp(40, 280) + 12)
            .build_cartesian_2d(0.0..top, (0..rows).into_segmented())
            .map_err(failed)?;
        // The first category at the top.
        let at = |i: usize| rows - 1 - i;
        let label = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) if *i < rows => {
                self.categories.get(at(*i)).cloned().unwrap_or_default()
            }
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(rows)
            .y_label_formatter(&label)
            .x_labels(6)
            .x_label_formatter(&|v| (self.value_label)(*v))
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(TEXT.mix(0.5))
            .label_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .draw()
            .map_err(failed)?;
        let mut base = vec![0.0; rows];
        for (n, series) in self.series.iter().enumerate() {
            let color = PALETTE[n % PALETTE.len()];
            let bars: Vec<Rectangle<(f64, SegmentValue<usize>)>> = (0..rows)
                .map(|i| {
                    let v = series.values.get(i).copied().unwrap_or(0.0).max(0.0);
                    let from = base[i];
                    base[i] += v;
                    let mut bar = Rectangle::new(
                        [
                            (from, SegmentValue::Exact(at(i))),
                            (from + v, SegmentValue::Exact(at(i) + 1)),
                        ],
                        color.filled(),
                    );
                    bar.set_margin(4, 4, 0, 0);
                    bar
                })
                .collect();
            let drawn = chart.draw_series(bars).map_err(failed)?;
            if self.legend() {
                drawn.label(series.label.clone()).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled())
                });
            }
        }
        self.draw_legend(&mut chart)
    }

    fn draw_legend<'a, 'b: 'a, X: Ranged, Y: Ranged>(
        &self,
        chart: &mut ChartContext<'a, SVGBackend<'b>, Cartesian2d<X, Y>>,
    ) -> Result<(), ChartError> {
        if !self.legend() {
            return Ok(());
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .draw()
            .map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stacked_chart_draws_every_bar_and_names_its_series() {
        let chart = BarChart {
            categories: vec!["11-02".into(), "11-09".into()],
            series: vec![
                Series {
                    label: "Borrow".into(),
                    values: vec![3.0, 0.0],
                },
                Series {
                    label: "Repair <b>".into(),
                    values: vec![1.0, 2.0],
                },
            ],
            horizontal: false,
            grouped: false,
            value_label: count_label,
            min_top: 0.0,
        };
        let svg = chart.to_svg().expect("drawn");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("11-09"));
        assert!(svg.contains("Repair &lt;b&gt;"), "labels are escaped");
        assert!(svg.contains("#1D4ED8") || svg.contains("#1d4ed8"));
    }

    #[test]
    fn a_horizontal_chart_lists_long_names_and_copes_with_no_data() {
        let chart = BarChart {
            categories: vec!["研究院 / 实验室".into()],
            series: vec![Series {
                label: String::new(),
                values: vec![0.0],
            }],
            horizontal: true,
            grouped: false,
            value_label: percent_label,
            min_top: 1.0,
        };
        let svg = chart.to_svg().expect("drawn");
        assert!(svg.contains("研究院 / 实验室"));
        assert!(svg.contains("100%"));
    }
}
