use super::*;
use crate::input::{SaOption, SaSubGoal};
use gnv_core::kommunenkat::{default_links, Area, Heading};

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

fn example() -> (SaYear, SurveyCompilation, Vec<SubGoal>) {
    let input = crate::exempel::input_2024();
    let sa = input.self_assessment.as_ref().and_then(|s| s.year(2024)).cloned().unwrap();
    (sa, input.survey.clone().unwrap(), input.subgoals.clone())
}

#[test]
fn relate_puts_mean_distribution_and_linked_survey_counts_per_subgoal() {
    let (sa, survey, subgoals) = example();
    let rel = relate(&sa, &survey, &default_links(), &subgoals);
    assert_eq!(rel.len(), 5);
    // Sub-goal 1 in the example: nine LSLs rated 3 and four rated 4 → mean 43/13.
    let g1 = &rel[0];
    assert_eq!((g1.number, g1.answered, g1.lsl_total), (1, 13, 13));
    assert!((g1.mean.unwrap() - 43.0 / 13.0).abs() < 1e-9);
    assert_eq!(g1.distribution, vec![("3".to_string(), 9), ("4".to_string(), 4)]);
    assert_eq!(g1.upper, 4);
    // Every area from the third on is ticked by 10 of the 15 municipalities; the three linked
    // to sub-goal 1 together by all 15 (each municipality skips a different one).
    assert_eq!(g1.areas.iter().map(|a| a.count).collect::<Vec<_>>(), vec![10, 10, 10]);
    assert_eq!(g1.areas[0].phrase, "fast vårdkontakt");
    assert_eq!(g1.headings[0].count, 0);
    assert_eq!((g1.reported, g1.survey_answered), (Some(15), 15));
    // Sub-goal 5: 2 (five), 2,5 (one), 3 (seven); only a heading nobody wrote under.
    let g5 = &rel[4];
    assert_eq!(g5.distribution, vec![("2".into(), 5), ("2,5".into(), 1), ("3".into(), 7)]);
    assert_eq!(g5.upper, 0);
    assert!(g5.areas.is_empty());
    assert_eq!(g5.reported, Some(0));

    let text = relation_sentences(g1, 2024, 2024).join(" ");
    assert_eq!(
        text,
        "Självskattningen 2024 ger delmålet medelvärdet 3,3 (13 av 13 lokala systemledningar har skattat): 9 systemledningar skattade 3 och 4 skattade 4. \
         I kommunenkäten 2024 har kommunerna angett att de initierat eller förstärkt de kopplade områdena fast vårdkontakt (10 av 15), fast omsorgskontakt (10 av 15) och samordnad individuell plan (SIP) (10 av 15). \
         Ingen kommun har skrivit under rubriken ”Delaktighet och kontinuitet”. \
         Sammantaget har 15 av 15 kommuner rapporterat något av det som är kopplat till delmålet."
    );
}

#[test]
fn the_mapping_decides_what_is_counted_and_an_unlinked_subgoal_says_so() {
    let (sa, survey, subgoals) = example();
    // Heading "viktigaste insatser" is written by the 8 municipalities with an even index.
    let links = vec![SurveyLink {
        subgoal: 2,
        areas: vec![Area::MobilaTeam],
        headings: vec![Heading::ViktigasteInsatser],
    }];
    let rel = relate(&sa, &survey, &links, &subgoals);
    assert_eq!(rel[1].areas[0].count, 15);
    assert_eq!(rel[1].headings[0].count, 8);
    assert_eq!(rel[1].reported, Some(15));
    assert!(relation_sentences(&rel[1], 2024, 2024)
        .contains(&"8 av 15 kommuner har skrivit under rubriken ”Viktigaste insatser”.".to_string()));
    // Nobody ticked the linked area: said so, without "0 av 15".
    let none = vec![SurveyLink { subgoal: 3, areas: vec![Area::Sip], headings: vec![] }];
    let mut empty = survey.clone();
    for a in empty.areas.iter_mut().filter(|a| a.code == "sip") {
        a.count = 0;
        a.municipalities.clear();
    }
    let r3 = &relate(&sa, &empty, &none, &subgoals)[2];
    assert_eq!(
        relation_sentences(r3, 2024, 2024)[1],
        "I kommunenkäten 2024 har ingen kommun angett att den initierat eller förstärkt de kopplade områdena samordnad individuell plan (SIP)."
    );
    assert_eq!(rel[0].reported, None);
    assert_eq!(rel[0].reported_percent(), None);
    let text = relation_sentences(&rel[0], 2024, 2024);
    assert_eq!(text.len(), 2);
    assert_eq!(
        text[1],
        "Inga områden eller rubriker i kommunenkäten är kopplade till delmålet i länsprofilen."
    );
    let finding = relation_finding(&rel, "4–5");
    assert!(
        finding.contains("Störst andel systemledningar som skattat 4–5 har delmål 1 Nära för mig (4 av 13)"),
        "{finding}"
    );
    assert!(
        finding.contains(
            "störst andel kommuner som rapporterat kopplade områden har delmål 2 Nära för alla (15 av 15)"
        ),
        "{finding}"
    );
}

#[test]
fn the_upper_part_of_the_scale_counts_half_steps_at_or_above_its_second_highest_step() {
    let mut y = year(2024, &[Some(3.5)]);
    y.subgoals[0].distribution = ["3,5", "4", "4,5", "5"]
        .iter()
        .map(|l| SaOption { label: l.to_string(), scale_label: None, count: 2 })
        .collect();
    let survey = example().1;
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
