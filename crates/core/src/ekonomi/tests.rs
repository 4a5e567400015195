//! Tests of the economy module: import, bad input and properties. The tests on the seed
//! report's real 2024 table are in `crates/core/tests/exempel/ekonomi.rs`.

use super::*;
use crate::organisation::dalarna;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Import

const GOOD_CSV: &str =
    "\u{feff}kommunkod;kommun;år;fokusområde;tilldelat;återbetalt överskott;redovisat förbrukat\n\
2084;Avesta;2024;9292;1 894 630;39 273;1 894 630 kr\n\
2080;Falun;2024;1;4970761;104 547;\"5 075 308\"\n\
;;;;;;\n\
;Summa;;;6 865 391;143 820;6 969 938\n";

#[test]
fn csv_in_swedish_excel_format_is_imported() {
    let imported = import_csv("ekonomi.csv", GOOD_CSV, &dalarna(), &[]).unwrap();
    assert_eq!(imported.rows.len(), 2);
    assert_eq!(imported.rows[0].municipality_code, "2084");
    assert_eq!(imported.rows[0].reported_spent.kronor(), 1_894_630);
    assert_eq!(imported.rows[1].reported_spent.kronor(), 5_075_308);
    assert_eq!(imported.rows[1].focus_area, FocusArea::primary_care_hub());
    let printed = imported.printed_totals.unwrap();
    assert_eq!(printed.allocated.kronor(), 6_865_391);
}

fn csv_errors(body: &str) -> Vec<String> {
    let text = format!("{CSV_HEADER}\n{body}");
    import_csv("ekonomi.csv", &text, &dalarna(), &[]).unwrap_err().0.iter().map(|e| e.to_string()).collect()
}

#[test]
fn text_in_an_amount_column_names_file_row_and_column() {
    let errors = csv_errors("2084;Avesta;2024;9292;ca 2 miljoner;39 273;1 894 630\n");
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0],
        "fil ekonomi.csv, rad 2, fält tilldelat: \"ca 2 miljoner\" är inte ett belopp i hela kronor."
    );
}

#[test]
fn negative_and_fractional_amounts_are_refused() {
    let errors = csv_errors("2084;Avesta;2024;9292;1 894 630;-39 273;1 894 630,50\n");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("fil ekonomi.csv, rad 2, fält återbetalt överskott: "), "{}", errors[0]);
    assert!(errors[0].contains("negativt"), "{}", errors[0]);
    assert!(errors[1].starts_with("fil ekonomi.csv, rad 2, fält redovisat förbrukat: "), "{}", errors[1]);
    assert!(errors[1].contains("ören"), "{}", errors[1]);
}

#[test]
fn missing_and_unknown_municipality_codes_and_name_mismatch_are_refused() {
    let errors = csv_errors(
        ";Avesta;2024;9292;1;1;1\n\
         2099;Ankeborg;2024;9292;1;1;1\n\
         2080;Borlänge;2024;9292;1;1;1\n",
    );
    assert_eq!(
        errors,
        [
            "fil ekonomi.csv, rad 2, fält kommunkod: Kommunkod saknas (Avesta har kommunkod 2084).",
            "fil ekonomi.csv, rad 3, fält kommunkod: Kommunkoden \"2099\" finns inte bland kommunerna i Dalarnas län.",
            "fil ekonomi.csv, rad 4, fält kommun: Kommunkoden 2080 hör till Falun, inte \"Borlänge\".",
        ]
    );
}

#[test]
fn duplicates_bad_year_and_unknown_focus_area_are_refused() {
    let errors = csv_errors(
        "2084;Avesta;2024;9292;1;1;1\n\
         2084;avesta;2024;;2;2;2\n\
         2080;Falun;tjugo;9292;1;1;1\n\
         2081;Borlänge;2024;9999;1;1;1\n",
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(errors[0], "fil ekonomi.csv, rad 3, fält kommunkod: Avesta har redan en rad för 2024 och insatsområde 1 (rad 2).");
    assert_eq!(errors[1], "fil ekonomi.csv, rad 4, fält år: \"tjugo\" är inte ett år mellan 2000 och 2100.");
    assert!(errors[2]
        .starts_with("fil ekonomi.csv, rad 5, fält fokusområde: \"9999\" är inget känt insatsområde."));
}

#[test]
fn import_is_all_or_nothing() {
    let text = format!("{CSV_HEADER}\n2084;Avesta;2024;9292;1;1;1\n2080;Falun;2024;9292;x;1;1\n");
    assert!(import_csv("e.csv", &text, &dalarna(), &[]).is_err());
}

#[test]
fn header_without_required_columns_is_refused() {
    let err = import_csv("e.csv", "kommun;år\nAvesta;2024\n", &dalarna(), &[]).unwrap_err();
    assert_eq!(err.0.len(), 1);
    assert!(err.0[0]
        .to_string()
        .contains("saknar kolumnerna kommunkod, tilldelat, återbetalt överskott, redovisat förbrukat"));
    assert!(import_csv("e.csv", "", &dalarna(), &[]).unwrap_err().to_string().contains("Filen är tom"));
}

#[test]
fn cells_from_a_sheet_are_imported_with_sheet_in_error_location() {
    let cells: Vec<Vec<String>> = vec![
        vec!["Ekonomisk redovisning".into()],
        vec![],
        vec![
            "Kommunkod".into(),
            "Kommun".into(),
            "År".into(),
            "Tilldelat".into(),
            "Återbetalt överskott".into(),
            "Redovisat förbrukat".into(),
        ],
        vec![
            "2084".into(),
            "Avesta".into(),
            "2024.0".into(),
            "1894630".into(),
            "39273".into(),
            "1894630.0".into(),
        ],
    ];
    // A title row above the header is skipped.
    let ok = import_cells("ekonomi.xlsx", "Blad1", &cells, &dalarna(), &[]).unwrap();
    assert_eq!(ok.rows[0].year, 2024);
    assert_eq!(ok.rows[0].reported_spent.kronor(), 1_894_630);
    // Without a kommunkod column the first non-empty row is taken as the header and refused.
    let no_code =
        vec![vec!["Kommun".to_string(), "År".to_string()], vec!["Avesta".to_string(), "2024".to_string()]];
    let err = import_cells("ekonomi.xlsx", "Blad1", &no_code, &dalarna(), &[]).unwrap_err();
    assert!(err.to_string().starts_with("fil ekonomi.xlsx, blad Blad1, rad 1: Rubrikraden saknar"), "{err}");
    let bad = vec![
        cells[2].clone(),
        vec!["2084".into(), "Avesta".into(), "2024".into(), "-1".into(), "0".into(), "0".into()],
    ];
    let err = import_cells("ekonomi.xlsx", "Ekonomi", &bad, &dalarna(), &[]).unwrap_err();
    assert!(err.to_string().starts_with("fil ekonomi.xlsx, blad Ekonomi, rad 2, fält tilldelat:"), "{err}");
}

#[test]
fn amounts_deserialize_only_when_non_negative() {
    assert!(serde_json::from_str::<Amount>("-1").is_err());
    assert_eq!(serde_json::from_str::<Amount>("39273").unwrap().kronor(), 39_273);
    assert!(serde_json::from_str::<Amount>("1.5").is_err());
}

#[test]
fn focus_area_is_recognised_by_number_code_name_and_label() {
    let fa = FocusArea::primary_care_hub();
    for cell in [
        "1",
        "9292",
        "primärvården som nav",
        "Insatsområde 1, 9292 Primärvården som nav",
        "1 — 9292 Primärvården som nav",
    ] {
        assert!(fa.matches(cell), "{cell}");
    }
    assert!(!fa.matches("2"));
    assert!(!fa.matches(""));
}

// ---------------------------------------------------------------------------------------------
// Properties

fn arb_rows() -> impl Strategy<Value = Vec<FinancialRow>> {
    let codes: Vec<String> = dalarna().municipalities.iter().map(|m| m.code.clone()).collect();
    proptest::collection::vec(
        (proptest::sample::select(codes), 0i64..5_000_000, 0i64..200_000, 0i64..5_500_000, 0u8..3),
        0..25,
    )
    .prop_map(|v| {
        v.into_iter()
            .map(|(code, a, s, spent, mode)| {
                // Bias towards the interesting cases: spent = allocated, spent = available.
                let spent = match mode {
                    0 => a,
                    1 => a + s,
                    _ => spent,
                };
                FinancialRow {
                    municipality_code: code,
                    year: 2024,
                    focus_area: FocusArea::primary_care_hub(),
                    allocated: Amount::new(a).unwrap(),
                    repaid_surplus: Amount::new(s).unwrap(),
                    reported_spent: Amount::new(spent).unwrap(),
                }
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn computed_total_is_the_sum_of_the_rows(rows in arb_rows()) {
        let table = AppendixTable::build(&dalarna(), 2024, &FocusArea::primary_care_hub(), &rows);
        prop_assert_eq!(table.total.allocated, rows.iter().map(|r| r.allocated.kronor()).sum::<i64>());
        prop_assert_eq!(table.total.repaid_surplus, table.rows.iter().map(|r| r.repaid_surplus).sum::<i64>());
        prop_assert_eq!(table.total.reported_spent, rows.iter().map(|r| r.reported_spent.kronor()).sum::<i64>());
        prop_assert_eq!(table.rows.len(), rows.len());
    }

    #[test]
    fn order_of_input_rows_does_not_change_warnings(rows in arb_rows(), seed in any::<u64>(), printed in 0i64..1_000_000) {
        let mut shuffled = rows.clone();
        // Deterministic shuffle from the seed.
        let n = shuffled.len();
        let mut state = seed;
        for i in (1..n).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (state >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        let p = PrintedTotals { allocated: Amount::new(printed).unwrap(), repaid_surplus: Amount::ZERO, reported_spent: Amount::ZERO };
        let fa = FocusArea::primary_care_hub();
        prop_assert_eq!(check(&dalarna(), 2024, &fa, &rows, Some(&p)), check(&dalarna(), 2024, &fa, &shuffled, Some(&p)));
        prop_assert_eq!(
            AppendixTable::build(&dalarna(), 2024, &fa, &rows),
            AppendixTable::build(&dalarna(), 2024, &fa, &shuffled)
        );
    }

    #[test]
    fn every_row_not_exactly_balanced_is_named_by_a_warning(rows in arb_rows()) {
        let fa = FocusArea::primary_care_hub();
        let warnings = check(&dalarna(), 2024, &fa, &rows, None);
        for r in &rows {
            if r.unreported() != 0 {
                prop_assert!(warnings.iter().any(|w| !matches!(w.kind, WarningKind::MissingReport | WarningKind::DuplicateRow)
                    && w.municipalities.iter().any(|m| m.code == r.municipality_code)));
            }
        }
    }

    #[test]
    fn csv_export_then_import_round_trips(rows in arb_rows()) {
        // Import refuses duplicates, so keep the first row per municipality.
        let mut unique: Vec<FinancialRow> = Vec::new();
        for r in rows {
            if !unique.iter().any(|u| u.municipality_code == r.municipality_code) {
                unique.push(r);
            }
        }
        let text = export_csv(&dalarna(), &unique, None);
        let imported = import_csv("x.csv", &text, &dalarna(), &[]).unwrap();
        prop_assert_eq!(imported.rows, unique);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every amount the financial-report form accepts reads back equal from what storage keeps
    /// (whole kronor in an integer column, read back through `Amount::new`).
    #[test]
    fn an_accepted_amount_reads_back_equal(input in prop_oneof![
        "[0-9]{1,10}",
        "[0-9]{1,3}( [0-9]{3}){0,3}( kr)?",
        "-?[0-9 ,.]{0,14}",
        "[0-9]{1,6},00",
    ]) {
        if let Ok(a) = Amount::parse(&input) {
            let stored: i64 = a.kronor();
            prop_assert_eq!(Amount::new(stored), Some(a));
        }
    }
}
