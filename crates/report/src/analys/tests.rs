use super::*;
use crate::input::{SaOption, SaSubGoal};

/// A year with the given means per sub-goal 1…n (distribution: every LSL at the mean).
fn year(y: i32, means: &[Option<f64>]) -> SaYear {
    let subgoals: Vec<SaSubGoal> = means
        .iter()
        .enumerate()
        .map(|(i, m)| SaSubGoal {
            number: i as u8 + 1,
            name: format!("Mål {}", i + 1),
            answered: if m.is_some() { 13 } else { 0 },
            mean: *m,
            std_dev: None,
            min: None,
            max: None,
            distribution: Vec::new(),
        })
        .collect();
    let present: Vec<(u8, f64)> = subgoals.iter().filter_map(|g| g.mean.map(|m| (g.number, m))).collect();
    let hi = present.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let lo = present.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    SaYear {
        year: y,
        scale_min: 1,
        scale_max: 5,
        scale_labels: Vec::new(),
        lsl_total: 13,
        answered: 13,
        answered_text: "13 av 13".into(),
        applied_table: 0,
        applied_table_text: "0 av 13".into(),
        highest: present.iter().filter(|p| p.1 == hi).map(|p| p.0).collect(),
        lowest: present.iter().filter(|p| p.1 == lo).map(|p| p.0).collect(),
        subgoals,
        largest_spread: Vec::new(),
        footnotes: Vec::new(),
        sentences: Vec::new(),
    }
}

#[test]
fn the_upper_part_of_the_scale_counts_half_steps_at_or_above_its_second_highest_step() {
    let mut y = year(2024, &[Some(3.5)]);
    y.subgoals[0].distribution = ["3,5", "4", "4,5", "5"]
        .iter()
        .map(|l| SaOption { label: l.to_string(), scale_label: None, count: 2 })
        .collect();
    // A core type: gnv-exempel links the same gnv-core as this crate.
    let survey = gnv_exempel::rapport::survey(&gnv_core::organisation::dalarna()).unwrap();
    let goals = vec![SubGoal { number: 1, name: "Mål 1".into(), statement: "x".into() }];
    let r = &relate(&y, &survey, &[], &goals)[0];
    assert_eq!(r.upper, 6);
    assert_eq!(upper_from(&y), 4.0);
}

#[test]
fn lowest_and_highest_in_both_years_are_stated_only_when_true() {
    let prev = year(2023, &[Some(3.2), Some(3.0), Some(2.8), Some(2.9), Some(2.5)]);
    let cur = year(2024, &[Some(3.4), Some(3.0), Some(2.9), Some(3.1), Some(2.6)]);
    let s = multi_year(&prev, &cur);
    assert!(
        s.contains(
            &"Delmål 5, ”Mål 5”, skattades lägst både i denna och föregående skattning (2023 och 2024)."
                .to_string()
        ),
        "{s:?}"
    );
    assert!(
        s.contains(
            &"Delmål 1, ”Mål 1”, skattades högst både i denna och föregående skattning (2023 och 2024)."
                .to_string()
        ),
        "{s:?}"
    );
    // 2 and 4 changed places: the order is not the same.
    assert_eq!(s.len(), 2, "{s:?}");

    // Another lowest and another highest this year: nothing about both years.
    let cur = year(2024, &[Some(3.0), Some(3.3), Some(2.4), Some(2.9), Some(2.6)]);
    assert!(multi_year(&prev, &cur).is_empty());
}

#[test]
fn an_unchanged_order_is_stated_and_ties_share_the_statement() {
    let prev = year(2023, &[Some(3.2), Some(3.0), Some(2.5), Some(2.9), Some(2.5)]);
    let cur = year(2024, &[Some(3.5), Some(3.1), Some(2.7), Some(3.0), Some(2.7)]);
    let s = multi_year(&prev, &cur);
    assert_eq!(
        s,
        vec![
            "Delmål 3, ”Mål 3”, och delmål 5, ”Mål 5”, skattades båda lägst både i denna och föregående skattning (2023 och 2024).".to_string(),
            "Delmål 1, ”Mål 1”, skattades högst både i denna och föregående skattning (2023 och 2024).".to_string(),
            "Delmålens inbördes ordning efter medelvärde är densamma 2024 som 2023.".to_string(),
        ]
    );
}

#[test]
fn nothing_is_stated_when_the_previous_year_has_no_data_or_all_means_are_equal() {
    let cur = year(2024, &[Some(3.4), Some(3.0), Some(2.9), Some(3.1), Some(2.6)]);
    assert!(multi_year(&year(2023, &[None, None, None, None, None]), &cur).is_empty());
    assert!(multi_year(&year(2023, &[Some(3.0), None, Some(2.0), None, Some(1.0)]), &cur).is_empty());
    assert!(multi_year(&year(2023, &[Some(3.0); 5]), &cur).is_empty());
}

#[test]
fn the_delivery_per_municipality_groups_dates_and_counts_the_municipalities() {
    let registry = gnv_core::organisation::dalarna();
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let own = |code: &str, name: &str, date| MunicipalDelivery {
        kind: DELIVERY_SURVEY_TO_SOCIALSTYRELSEN.into(),
        date,
        by: "RSS".into(),
        code: code.into(),
        name: name.into(),
    };
    // Without a record per municipality: no such sentence (the report states the others as before).
    assert_eq!(survey_delivery_sentence(&[], &[], &registry), None);
    let list = vec![
        own("2080", "Falun", d(2025, 3, 3)),
        own("2084", "Avesta", d(2025, 2, 28)),
        own("2081", "Borlänge", d(2025, 2, 28)),
        own("2081", "Borlänge", d(2025, 3, 10)),
    ];
    assert_eq!(
        survey_delivery_sentence(&[], &list, &registry).unwrap(),
        "Kommunenkäten redovisades till Socialstyrelsen för 3 av 15 kommuner: den 28 februari 2025 för Avesta och Borlänge; den 3 mars 2025 för Falun."
    );
    // A record for every municipality (no organisation) covers the rest from its date.
    let all = Delivery {
        kind: DELIVERY_SURVEY_TO_SOCIALSTYRELSEN.into(),
        date: d(2025, 3, 31),
        by: "RSS".into(),
        note: String::new(),
    };
    let text = survey_delivery_sentence(&[all], &list, &registry).unwrap();
    assert!(text.starts_with("Kommunenkäten redovisades till Socialstyrelsen för 15 av 15 kommuner: den 28 februari 2025 för Avesta och Borlänge; den 3 mars 2025 för Falun; den 31 mars 2025 för Gagnef, Hedemora,"), "{text}");
}
