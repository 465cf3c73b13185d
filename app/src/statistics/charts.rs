//! Bar charts drawn on the server as SVG with plotters. The browser renders the
//! text, so no font files are needed; the data table beside each chart is the
//! accessible reading of it, and the legend is HTML beside the chart (never
//! over its bars). A narrow variant is drawn for phones, so the text stays
//! legible instead of the chart scrolling sideways.
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

pub use super::legend::Swatch;

/// The colour a swatch draws with (its CSS class has the same).
fn rgb(swatch: Swatch) -> RGBColor {
    match swatch {
        Swatch::Primary | Swatch::Borrow => RGBColor(0x1d, 0x4e, 0xd8),
        Swatch::Secondary => RGBColor(0x93, 0xc5, 0xfd),
        Swatch::Return => RGBColor(0x08, 0x91, 0xb2),
        Swatch::Repair => RGBColor(0x7c, 0x3a, 0xed),
        Swatch::Scrap | Swatch::Cancelled => RGBColor(0x6b, 0x72, 0x80),
        Swatch::Pending => RGBColor(0xd9, 0x77, 0x06),
        Swatch::Approved => RGBColor(0x05, 0x96, 0x69),
        Swatch::Rejected => RGBColor(0xdc, 0x26, 0x26),
    }
}

const TEXT: RGBColor = RGBColor(0x1f, 0x29, 0x37);
const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
const FONT: &str = "sans-serif";
/// Large enough to read once the browser scales a chart down to its column.
const LABEL_SIZE: u32 = 15;
/// The narrow (phone) variant's text: it is shown near its own size.
const NARROW_LABEL_SIZE: u32 = 16;

pub struct Series {
    pub label: String,
    pub values: Vec<f64>,
    pub swatch: Swatch,
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
    /// The phone-sized variant: half as wide, every other category labelled
    /// when they would crowd.
    pub narrow: bool,
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

    fn label_size(&self) -> u32 {
        if self.narrow {
            NARROW_LABEL_SIZE
        } else {
            LABEL_SIZE
        }
    }

    /// A category's label on the axis: on a narrow chart with many
    /// categories, every other one (the table beside has them all).
    fn axis_label(&self, index: usize) -> String {
        if self.narrow && self.categories.len() > 6 && index % 2 == 1 {
            return String::new();
        }
        self.categories.get(index).cloned().unwrap_or_default()
    }

    pub fn to_svg(&self) -> Result<String, ChartError> {
        let rows = self.categories.len().max(1);
        let width = if self.narrow { 380 } else { 720 };
        let height = if self.horizontal {
            // Bars thick enough to see even for one row.
            let row = if self.narrow { 30 } else { 34 };
            u32::try_from(64 + rows.max(3) * row)
                .unwrap_or(2000)
                .min(2000)
        } else if self.narrow {
            260
        } else {
            320
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
            SegmentValue::CenterOf(i) => self.axis_label(*i),
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
            .label_style((FONT, self.label_size()).into_font().color(&TEXT))
            .draw()
            .map_err(failed)?;
        let mut base = vec![0.0; rows];
        // Side by side: each series takes its share of a category's width.
        let segment = chart.plotting_area().dim_in_pixel().0 / u32::try_from(rows).unwrap_or(1);
        let k = u32::try_from(self.series.len()).unwrap_or(1).max(1);
        let share = segment.saturating_sub(12) / k;
        for (n, series) in self.series.iter().enumerate() {
            let color = rgb(series.swatch);
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
            chart.draw_series(bars).map_err(failed)?;
        }
        Ok(())
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
        let widest = if self.narrow { 150 } else { 280 };
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(longest.clamp(40, widest) + 12)
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
            .label_style((FONT, self.label_size()).into_font().color(&TEXT))
            .draw()
            .map_err(failed)?;
        let mut base = vec![0.0; rows];
        for series in &self.series {
            let color = rgb(series.swatch);
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
                    bar.set_margin(5, 5, 0, 0);
                    bar
                })
                .collect();
            chart.draw_series(bars).map_err(failed)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weeks(n: usize, narrow: bool) -> BarChart {
        BarChart {
            categories: (0..n).map(|i| format!("W{i:02}")).collect(),
            series: vec![
                Series {
                    label: "Approved".into(),
                    values: vec![3.0; n],
                    swatch: Swatch::Approved,
                },
                Series {
                    label: "Rejected <b>".into(),
                    values: vec![1.0; n],
                    swatch: Swatch::Rejected,
                },
            ],
            horizontal: false,
            grouped: false,
            value_label: count_label,
            min_top: 0.0,
            narrow,
        }
    }

    #[test]
    fn bars_take_the_colour_of_what_they_mean_and_no_legend_covers_them() {
        let svg = weeks(2, false).to_svg().expect("drawn");
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("W01"));
        assert!(svg.contains("#059669"), "approved is green");
        assert!(
            svg.contains("#DC2626") || svg.contains("#dc2626"),
            "rejected is red"
        );
        assert!(
            !svg.contains("Rejected"),
            "the legend is the page's, not drawn over the bars"
        );
    }

    #[test]
    fn a_narrow_chart_labels_every_other_of_many_categories() {
        let svg = weeks(12, true).to_svg().expect("drawn");
        assert!(svg.contains("width=\"380\""), "phone-sized");
        assert!(svg.contains("W00") && svg.contains("W10"));
        assert!(!svg.contains("W01") && !svg.contains("W11"));
        let wide = weeks(12, false).to_svg().expect("drawn");
        assert!(wide.contains("W11"), "a wide chart labels them all");
    }

    #[test]
    fn a_horizontal_chart_lists_long_names_and_copes_with_no_data() {
        let chart = BarChart {
            categories: vec!["研究院 / 实验室".into()],
            series: vec![Series {
                label: String::new(),
                values: vec![0.0],
                swatch: Swatch::Primary,
            }],
            horizontal: true,
            grouped: false,
            value_label: percent_label,
            min_top: 1.0,
            narrow: false,
        };
        let svg = chart.to_svg().expect("drawn");
        assert!(svg.contains("研究院 / 实验室"));
        assert!(svg.contains("100%"));
    }
}
