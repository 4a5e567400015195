//! Table models: appendix 1 for one year (rows in Swedish name order plus a computed totals row),
//! the multi-year view per municipality, and the serializable [`EconomySummary`].

use super::checks::{check, Warning};
use super::{municipality_name, Column, FinancialRow, FocusArea, PrintedTotals, Totals};
use crate::format::swedish_cmp;
use crate::format::{integer, of};
use crate::organisation::Registry;
use serde::{Deserialize, Serialize};

/// One line of the appendix table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppendixRow {
    /// Municipality code; empty for the totals row.
    pub code: String,
    /// Municipality name (the code when unknown to the registry), or "Summa" for the totals row.
    pub name: String,
    pub allocated: i64,
    pub repaid_surplus: i64,
    pub reported_spent: i64,
    /// The three amounts formatted in Swedish (`"1 894 630"`), in column order.
    pub formatted: Vec<String>,
}

impl AppendixRow {
    fn new(code: &str, name: &str, allocated: i64, repaid_surplus: i64, reported_spent: i64) -> Self {
        AppendixRow {
            code: code.to_string(),
            name: name.to_string(),
            allocated,
            repaid_surplus,
            reported_spent,
            formatted: vec![integer(allocated), integer(repaid_surplus), integer(reported_spent)],
        }
    }
}

/// Appendix 1 for one year and focus area, ready for a web page, CSV/XLSX or the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AppendixTable {
    /// Swedish title: "Ekonomisk redovisning 2024 – Insatsområde 1, 9292 Primärvården som nav".
    pub title: String,
    /// Column headings: "Kommun" and the three amount columns.
    pub headers: Vec<String>,
    /// One row per reported row, in Swedish name order (ties by code).
    pub rows: Vec<AppendixRow>,
    /// The computed totals row ("Summa"); never the printed one.
    pub total: AppendixRow,
}

impl AppendixTable {
    /// Builds the table from the rows of `year` and `focus_area` (others are ignored).
    pub fn build(
        registry: &Registry,
        year: i32,
        focus_area: &FocusArea,
        rows: &[FinancialRow],
    ) -> AppendixTable {
        let selected: Vec<&FinancialRow> =
            rows.iter().filter(|r| r.year == year && &r.focus_area == focus_area).collect();
        let mut table_rows: Vec<AppendixRow> = selected
            .iter()
            .map(|r| {
                AppendixRow::new(
                    &r.municipality_code,
                    &municipality_name(registry, &r.municipality_code),
                    r.allocated.kronor(),
                    r.repaid_surplus.kronor(),
                    r.reported_spent.kronor(),
                )
            })
            .collect();
        table_rows.sort_by(|a, b| {
            swedish_cmp(&a.name, &b.name)
                .then_with(|| a.code.cmp(&b.code))
                .then_with(|| a.formatted.cmp(&b.formatted))
        });
        let totals = Totals::of(selected.iter().copied());
        let mut headers = vec!["Kommun".to_string()];
        headers.extend(Column::ALL.iter().map(|c| c.label().to_string()));
        AppendixTable {
            title: format!("Ekonomisk redovisning {year} – {}", focus_area.label()),
            headers,
            rows: table_rows,
            total: AppendixRow::new(
                "",
                "Summa",
                totals.allocated,
                totals.repaid_surplus,
                totals.reported_spent,
            ),
        }
    }

    /// The table as cells for CSV/XLSX export: header, rows, "Summa" row; amounts formatted.
    pub fn cells(&self) -> Vec<Vec<String>> {
        let mut out = vec![self.headers.clone()];
        for r in self.rows.iter().chain(std::iter::once(&self.total)) {
            let mut line = vec![r.name.clone()];
            line.extend(r.formatted.iter().cloned());
            out.push(line);
        }
        out
    }
}

/// Everything the economy page and the JSON API show for one year and focus area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EconomySummary {
    pub year: i32,
    pub focus_area: FocusArea,
    /// The appendix table with the computed totals row.
    pub table: AppendixTable,
    /// Computed column sums.
    pub totals: Totals,
    /// Totals as printed or imported (a "Summa" row), when there were any.
    pub printed_totals: Option<PrintedTotals>,
    /// Number of registry municipalities with at least one row, as "X av Y" ("15 av 15").
    pub reported: String,
    /// All consistency warnings ([`check`]).
    pub warnings: Vec<Warning>,
}

/// Builds the summary of one year and focus area: table, totals and warnings.
pub fn summarize(
    registry: &Registry,
    year: i32,
    focus_area: &FocusArea,
    rows: &[FinancialRow],
    printed: Option<&PrintedTotals>,
) -> EconomySummary {
    let table = AppendixTable::build(registry, year, focus_area, rows);
    let selected = rows.iter().filter(|r| r.year == year && &r.focus_area == focus_area);
    let totals = Totals::of(selected.clone());
    let reported = registry
        .municipalities
        .iter()
        .filter(|m| selected.clone().any(|r| r.municipality_code == m.code))
        .count();
    EconomySummary {
        year,
        focus_area: focus_area.clone(),
        table,
        totals,
        printed_totals: printed.copied(),
        reported: of(reported, registry.municipalities.len()),
        warnings: check(registry, year, focus_area, rows, printed),
    }
}

/// One year of a municipality's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct HistoryLine {
    pub year: i32,
    pub focus_area: FocusArea,
    pub allocated: i64,
    pub repaid_surplus: i64,
    pub reported_spent: i64,
    /// Allocated + surplus − spent: positive = not reported as used, negative = over-reported.
    pub unreported: i64,
}

/// A municipality's reports over the years (multi-year view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MunicipalityHistory {
    pub code: String,
    pub name: String,
    /// Sorted by year, then focus area number.
    pub lines: Vec<HistoryLine>,
}

impl MunicipalityHistory {
    /// As cells for export: header then one line per year, amounts formatted in Swedish.
    pub fn cells(&self) -> Vec<Vec<String>> {
        let mut out = vec![vec![
            "År".to_string(),
            "Insatsområde".to_string(),
            Column::Allocated.label().to_string(),
            Column::RepaidSurplus.label().to_string(),
            Column::ReportedSpent.label().to_string(),
            "Ej redovisat som förbrukat".to_string(),
        ]];
        for l in &self.lines {
            out.push(vec![
                l.year.to_string(),
                l.focus_area.label(),
                integer(l.allocated),
                integer(l.repaid_surplus),
                integer(l.reported_spent),
                integer(l.unreported),
            ]);
        }
        out
    }
}

/// All rows of one municipality over all years and focus areas, oldest first.
pub fn municipality_history(registry: &Registry, code: &str, rows: &[FinancialRow]) -> MunicipalityHistory {
    let mut lines: Vec<HistoryLine> = rows
        .iter()
        .filter(|r| r.municipality_code == code)
        .map(|r| HistoryLine {
            year: r.year,
            focus_area: r.focus_area.clone(),
            allocated: r.allocated.kronor(),
            repaid_surplus: r.repaid_surplus.kronor(),
            reported_spent: r.reported_spent.kronor(),
            unreported: r.unreported(),
        })
        .collect();
    lines.sort_by(|a, b| {
        (a.year, &a.focus_area, a.allocated, a.repaid_surplus, a.reported_spent).cmp(&(
            b.year,
            &b.focus_area,
            b.allocated,
            b.repaid_surplus,
            b.reported_spent,
        ))
    });
    MunicipalityHistory { code: code.to_string(), name: municipality_name(registry, code), lines }
}
