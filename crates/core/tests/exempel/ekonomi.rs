//! Tests of `gnv_core::ekonomi` against the seed report's real 2024 table
//! (`gnv_exempel::ekonomi::seed_2024`).

use gnv_core::ekonomi::*;
use gnv_core::organisation::dalarna;
use gnv_exempel::ekonomi::seed_2024;

fn seed_warnings() -> Vec<Warning> {
    let seed = seed_2024();
    check(&dalarna(), 2024, &seed.focus_area, &seed.rows, Some(&seed.printed_totals))
}

fn names(w: &Warning) -> Vec<&str> {
    w.municipalities.iter().map(|m| m.name.as_str()).collect()
}

#[test]
fn seed_sums_reproduce_the_printed_allocated_and_spent_totals_but_not_repaid() {
    let seed = seed_2024();
    let totals = Totals::of(&seed.rows);
    assert_eq!(totals.allocated, 23_849_655);
    assert_eq!(totals.reported_spent, 24_153_231);
    assert_eq!(totals.repaid_surplus, 499_999);
    assert_eq!(seed.printed_totals.repaid_surplus.kronor(), 500_000);
}

#[test]
fn seed_yields_exactly_the_repaid_sum_mismatch_and_the_five_spent_equals_allocated() {
    let warnings = seed_warnings();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");

    let sum = &warnings[0];
    assert_eq!(
        sum.kind,
        WarningKind::PrintedTotalMismatch {
            column: Column::RepaidSurplus,
            printed: 500_000,
            computed: 499_999,
            difference: 1
        }
    );
    assert!(sum.message.contains("500 000 kr"), "{}", sum.message);
    assert!(sum.message.contains("499 999 kr"), "{}", sum.message);
    assert!(sum.message.contains("skillnad 1 kr"), "{}", sum.message);
    assert!(sum.message.contains("Återbetalt överskott"), "{}", sum.message);

    let five = &warnings[1];
    // 39 273 + 89 759 + 35 829 + 19 572 + 11 990
    assert_eq!(five.kind, WarningKind::SpentEqualsAllocated { surplus_not_reported: 196_423 });
    assert_eq!(names(five), ["Avesta", "Borlänge", "Mora", "Säter", "Älvdalen"]);
    assert_eq!(
        five.message,
        "5 kommuner redovisar förbrukade medel lika med tilldelat belopp, utan det återbetalade \
         överskottet: Avesta, Borlänge, Mora, Säter och Älvdalen. Överskottet på sammanlagt \
         196 423 kr är därmed inte redovisat som förbrukat."
    );
    assert_eq!(five.municipalities[0].amount, Some(39_273));
}

#[test]
fn the_five_plus_the_ten_account_for_all_available_funds() {
    // Ten municipalities report allocated + surplus exactly; the five report only allocated.
    // So computed spent = allocated + repaid − the five surpluses.
    let seed = seed_2024();
    let t = Totals::of(&seed.rows);
    assert_eq!(t.allocated + t.repaid_surplus - 196_423, t.reported_spent);
}

#[test]
fn appendix_table_is_in_swedish_name_order_with_computed_totals() {
    let seed = seed_2024();
    let table = AppendixTable::build(&dalarna(), 2024, &seed.focus_area, &seed.rows);
    let order: Vec<&str> = table.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        order,
        [
            "Avesta",
            "Borlänge",
            "Falun",
            "Gagnef",
            "Hedemora",
            "Leksand",
            "Ludvika",
            "Malung-Sälen",
            "Mora",
            "Orsa",
            "Rättvik",
            "Smedjebacken",
            "Säter",
            "Vansbro",
            "Älvdalen"
        ]
    );
    assert_eq!(table.rows[2].formatted, ["4 970 761", "104 547", "5 075 308"]);
    assert_eq!(table.total.name, "Summa");
    assert_eq!(table.total.formatted, ["23 849 655", "499 999", "24 153 231"]);
    assert_eq!(table.title, "Ekonomisk redovisning 2024 – Insatsområde 1, 9292 Primärvården som nav");
    let cells = table.cells();
    assert_eq!(cells.len(), 17);
    assert_eq!(cells[0][0], "Kommun");
    assert_eq!(cells[1], ["Avesta", "1 894 630", "39 273", "1 894 630"]);
}

#[test]
fn summary_serializes_with_rows_totals_and_warnings() {
    let seed = seed_2024();
    let s = summarize(&dalarna(), 2024, &seed.focus_area, &seed.rows, Some(&seed.printed_totals));
    assert_eq!(s.reported, "15 av 15");
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["totals"]["repaid_surplus"], 499_999);
    assert_eq!(json["printed_totals"]["repaid_surplus"], 500_000);
    assert_eq!(json["warnings"][0]["kind"]["kind"], "printed_total_mismatch");
    assert_eq!(json["warnings"][1]["kind"]["kind"], "spent_equals_allocated");
    assert_eq!(json["table"]["rows"].as_array().unwrap().len(), 15);
}

#[test]
fn missing_reports_over_reporting_and_underreporting_are_warned() {
    let seed = seed_2024();
    let mut rows: Vec<FinancialRow> = seed
        .rows
        .iter()
        .filter(|r| r.municipality_code != "2034" && r.municipality_code != "2062")
        .cloned()
        .collect();
    // Falun over-reports by 1 000 kr, Gagnef leaves 5 000 kr unreported.
    for r in &mut rows {
        if r.municipality_code == "2080" {
            r.reported_spent = Amount::new(r.reported_spent.kronor() + 1_000).unwrap();
        }
        if r.municipality_code == "2026" {
            r.reported_spent = Amount::new(r.reported_spent.kronor() - 5_000).unwrap();
        }
    }
    let w = check(&dalarna(), 2024, &seed.focus_area, &rows, None);
    let kinds: Vec<&WarningKind> = w.iter().map(|w| &w.kind).collect();
    assert_eq!(
        kinds,
        [
            &WarningKind::MissingReport,
            &WarningKind::SpentEqualsAllocated { surplus_not_reported: 196_423 - 35_829 },
            &WarningKind::FundsNotReportedAsUsed { not_reported: 5_000 },
            &WarningKind::OverReported { over_reported: 1_000 },
        ]
    );
    assert_eq!(w[0].message, "Redovisning för 2024 (Insatsområde 1, 9292 Primärvården som nav) saknas från 2 kommuner: Mora och Orsa.");
    assert!(w[2].message.contains("Gagnef (5 000 kr)"), "{}", w[2].message);
    assert!(w[3].message.contains("Falun (1 000 kr)"), "{}", w[3].message);
}

#[test]
fn unknown_and_duplicate_rows_given_directly_are_warned_not_dropped() {
    let seed = seed_2024();
    let mut rows = seed.rows.clone();
    rows.push(rows[0].clone());
    let mut stranger = rows[1].clone();
    stranger.municipality_code = "0180".to_string();
    rows.push(stranger);
    let w = check(&dalarna(), 2024, &seed.focus_area, &rows, None);
    assert_eq!(w[0].kind, WarningKind::UnknownMunicipality);
    assert!(w[0].message.contains("0180"));
    assert_eq!(w[1].kind, WarningKind::DuplicateRow);
    assert_eq!(names(&w[1]), ["Avesta"]);
}

#[test]
fn rows_of_other_years_and_focus_areas_are_ignored() {
    let seed = seed_2024();
    let mut rows = seed.rows.clone();
    let mut other = rows[0].clone();
    other.year = 2023;
    other.reported_spent = Amount::ZERO;
    rows.push(other);
    let w = check(&dalarna(), 2024, &seed.focus_area, &rows, Some(&seed.printed_totals));
    assert_eq!(w, seed_warnings());
}

#[test]
fn multi_year_history_of_a_municipality_is_sorted_by_year() {
    let seed = seed_2024();
    let mut rows = seed.rows.clone();
    let mut y2025 = rows[0].clone();
    y2025.year = 2025;
    rows.insert(0, y2025);
    let h = municipality_history(&dalarna(), "2084", &rows);
    assert_eq!(h.name, "Avesta");
    let years: Vec<i32> = h.lines.iter().map(|l| l.year).collect();
    assert_eq!(years, [2024, 2025]);
    assert_eq!(h.lines[0].unreported, 39_273);
    assert_eq!(h.cells()[1][5], "39 273");
}

#[test]
fn exported_seed_csv_imports_to_the_same_rows_and_totals() {
    let seed = seed_2024();
    let text = export_csv(&dalarna(), &seed.rows, Some(&seed.printed_totals));
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("2084;Avesta;2024;9292;1 894 630;39 273;1 894 630"));
    let imported = import_csv("seed.csv", &text, &dalarna(), &[]).unwrap();
    assert_eq!(imported.rows, seed.rows);
    assert_eq!(imported.printed_totals, Some(seed.printed_totals));
}
