//! Tests over a hand-made two-year data set for all 13 LSLs of Dalarna: 2023 imported as already
//! consolidated values, 2024 as individual answers where Mora has two respondents who differ.

use super::*;
use crate::delmal::default_subgoals;
use crate::organisation::dalarna;
use proptest::prelude::*;

const HISTORY: &str =
    "\u{feff}år;lsl;respondent;roll;perspektiv;delmål1;delmål2;delmål3;delmål4;delmål5;tillämpat
2023;Vansbro;;;;3;3;3;3;3;ja
2023;Malung-Sälen;;;;3;3;2;3;2;nej
2023;Gagnef;;;;4;3;3;4;3;ja
2023;Leksand;;;;3;3;3;3;3;ja
2023;Rättvik;;;;4;4;3;3,5;3;nej
2023;Orsa;;;;3;3;2;3;2;nej
2023;Älvdalen;;;;3;3;2;2;2;nej
2023;Västerbergslagen;;;;4;3;3;3;3;ja
2023;lsl-mora;;;;4;2,5;3;3,5;2;ja
2023;Falun;;;;4;3.5;4;4;3;ja
2023;Borlänge;;;;3;3;3;3;3;nej
2023;Säter;;;;3;3;2;3;3;nej
2023;Södra Dalarna;;;;3;3;3;3;3;nej
2024;Vansbro;Vera;ordförande;båda;4;3;3;3;3;ja
2024;Malung-Sälen;Mats;ordförande;kommun;3;3;2;3;2;nej
2024;Gagnef;Gun;ordförande;båda;4;3;4;4;3;ja
2024;Leksand;Lars;ordförande;region;3;3;3;3;3;ja
2024;Rättvik;Rut;ordförande;båda;4;4;4;4;3;nej
2024;Orsa;Olle;ordförande;kommun;3;3;2;3;2;ja
2024;Älvdalen;Åsa;ordförande;båda;3;3;1;2;2;nej
2024;Västerbergslagen;Vidar;ordförande;båda;4;3;3;4;3;ja
2024;Mora;Anna;kommunrepresentant;kommun;4;2;3;3;2;nej
2024;Mora;Bertil;regionrepresentant;region;4;3;3;4;2;ja
2024;Falun;Frida;ordförande;båda;4;4;5;4;3;ja
2024;Borlänge;Bo;ordförande;båda;3;3;4;3;3;nej
2024;Säter;Siv;ordförande;kommun;3;3;2;3;2;nej
2024;Södra Dalarna;Sten;ordförande;båda;4;3;4;4;3;nej
";

fn rounds() -> Vec<Round> {
    import_csv(HISTORY, &dalarna(), &Scale::default(), &default_subgoals()).unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

#[test]
fn import_groups_rows_into_one_round_per_year() {
    let rounds = rounds();
    assert_eq!(rounds.iter().map(|r| r.year).collect::<Vec<_>>(), vec![2023, 2024]);
    assert_eq!(rounds[0].results.len(), 13);
    assert!(rounds[0].results.iter().all(|r| r.origin == Origin::Consolidated));
    let mora23 = rounds[0].result("lsl-mora").unwrap();
    assert_eq!(mora23.value(2).unwrap().as_f64(), 2.5);
    let mora24 = rounds[1].result("lsl-mora").unwrap();
    assert_eq!(mora24.origin, Origin::IndividualAnswers);
    assert_eq!(mora24.respondents.len(), 2);
    assert_eq!(mora24.respondents[0].perspective, Some(Perspective::Kommun));
}

#[test]
fn county_means_use_the_averaged_mora_value() {
    let rounds = rounds();
    let y = analyse_year(&rounds[1], &dalarna(), &default_subgoals());
    // Sub-goal 2: ten LSLs at 3, two at 4 and Mora at (2+3)/2 = 2,5.
    assert!(close(y.subgoal(2).unwrap().mean, 40.5 / 13.0));
    assert!(close(y.subgoal(1).unwrap().mean, 46.0 / 13.0));
    assert!(close(y.subgoal(3).unwrap().mean, 40.0 / 13.0));
    assert!(close(y.subgoal(4).unwrap().mean, 43.5 / 13.0));
    assert!(close(y.subgoal(5).unwrap().mean, 34.0 / 13.0));
    assert_eq!(y.answered_text, "13 av 13");
    assert_eq!(y.applied_table_text, "7 av 13");
    assert_eq!(y.sentences[0], "13 av 13 lokala systemledningar har besvarat självskattningen 2024.");
    assert_eq!(
        y.sentences[1],
        "7 av 13 lokala systemledningar svarar att självskattningstabellen tillämpats i det egna omställningsarbetet."
    );
}

#[test]
fn distribution_includes_half_steps_and_all_whole_steps() {
    let rounds = rounds();
    let y = analyse_year(&rounds[1], &dalarna(), &default_subgoals());
    let d = &y.subgoal(2).unwrap().distribution;
    let labels: Vec<&str> = d.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, vec!["1", "2", "2,5", "3", "4", "5"]);
    let counts: Vec<usize> = d.iter().map(|o| o.count).collect();
    assert_eq!(counts, vec![0, 0, 1, 10, 2, 0]);
    assert_eq!(d[2].lsls, vec!["lsl-mora".to_string()]);
    assert_eq!(d[2].scale_label, None);
    assert_eq!(d[0].scale_label.as_deref(), Some("Stämmer inte alls"));
    let d5 = &y.subgoal(5).unwrap().distribution;
    assert_eq!(d5.iter().map(|o| o.label.as_str()).collect::<Vec<_>>(), vec!["1", "2", "3", "4", "5"]);
    assert_eq!(d5.iter().map(|o| o.count).sum::<usize>(), 13);
}

#[test]
fn spread_is_population_sd_and_range() {
    let rounds = rounds();
    let y = analyse_year(&rounds[1], &dalarna(), &default_subgoals());
    // Sub-goal 1: seven 4s and six 3s → population variance 7·6/13² → SD √42/13.
    assert!(close(y.subgoal(1).unwrap().std_dev, 42f64.sqrt() / 13.0));
    assert!(close(y.subgoal(1).unwrap().range, 1.0));
    let s3 = y.subgoal(3).unwrap();
    assert_eq!(s3.min, Some(Score::whole(1)));
    assert_eq!(s3.max, Some(Score::whole(5)));
    assert!(close(s3.range, 4.0));
    assert_eq!(y.largest_spread, vec![3]);
    assert_eq!(y.highest, vec![1]);
    assert_eq!(y.lowest, vec![5]);
    assert!(y.sentences.contains(&"Delmål 1, ”Nära för mig”, skattades högst (medelvärde 3,5).".to_string()));
    assert!(y
        .sentences
        .contains(&"Delmål 5, ”Nära till hälsa”, skattades lägst (medelvärde 2,6).".to_string()));
    let spread = y.sentences.iter().find(|s| s.starts_with("Spridningen")).unwrap();
    assert!(
        spread.contains("störst för delmål 3, ”Nära i hela Dalarna” (standardavvikelse 1,07, från 1 till 5)"),
        "{spread}"
    );
}

#[test]
fn footnotes_explain_averaged_values() {
    let rounds = rounds();
    let y = analyse_year(&rounds[1], &dalarna(), &default_subgoals());
    assert_eq!(
        y.footnotes,
        vec![
            "Värdet för Mora, delmål 2, är medelvärdet av två svar (2 och 3) som skilde sig åt.".to_string(),
            "Värdet för Mora, delmål 4, är medelvärdet av två svar (3 och 4) som skilde sig åt.".to_string(),
            "Svaren från Mora skilde sig åt om självskattningstabellen tillämpats (1 ja, 1 nej); den lokala systemledningen räknas som att ha tillämpat tabellen eftersom minst en svarande angav ja.".to_string(),
        ]
    );
    assert!(analyse_year(&rounds[0], &dalarna(), &default_subgoals()).footnotes.is_empty());
}

#[test]
fn year_on_year_changes_are_worded_with_restraint() {
    let summary = summarize(&rounds(), &dalarna(), &default_subgoals());
    assert_eq!(summary.county, "Dalarnas län");
    let cmp = &summary.comparisons[0];
    assert_eq!((cmp.from_year, cmp.to_year), (2023, 2024));
    let sentences: Vec<&str> = cmp.changes.iter().map(|c| c.sentence.as_str()).collect();
    assert_eq!(
        sentences,
        vec![
            "Medelvärdet för Nära för mig har ökat marginellt från 3,4 till 3,5.",
            "Medelvärdet för Nära för alla är detsamma för 2023 och 2024 (3,1).",
            "Medelvärdet för Nära i hela Dalarna har ökat från 2,8 till 3,1.",
            "Medelvärdet för Nära mellan oss har ökat marginellt från 3,2 till 3,3.",
            "Medelvärdet för Nära till hälsa har minskat marginellt från 2,7 till 2,6.",
        ]
    );
    assert_eq!(cmp.changes[2].kind, ChangeKind::Increase);
    assert_eq!(
        cmp.overview,
        "Från 2023 till 2024 har medelvärdet ökat för 1 av 5 delmål, ökat marginellt för 2 av 5 delmål, varit oförändrat för 1 av 5 delmål och minskat marginellt för 1 av 5 delmål."
    );
    assert_eq!(summary.years[0].applied_table_text, "6 av 13");
    let json = serde_json::to_value(&summary).unwrap();
    assert_eq!(json["years"][1]["subgoals"][1]["distribution"][2]["value"], 2.5);
    assert_eq!(json["comparisons"][0]["changes"][0]["kind"], "marginal_increase");
    assert_eq!(json["reflection_questions"].as_array().unwrap().len(), 4);
}

#[test]
fn a_change_of_exactly_the_threshold_is_not_marginal() {
    let scale = Scale::default();
    let entry = |v: &str| ConsolidatedEntry {
        lsl: "lsl-mora".into(),
        values: vec![Some(Score::parse(v).unwrap()); 5],
        applied_table: None,
    };
    let r0 = Round::new(2023, scale.clone(), vec![], vec![entry("3")]).unwrap();
    let r1 = Round::new(2024, scale.clone(), vec![], vec![entry("3,2")]).unwrap();
    let s = summarize(&[r1, r0], &dalarna(), &default_subgoals());
    assert_eq!(s.comparisons[0].changes[0].kind, ChangeKind::Increase);
    assert_eq!(
        s.comparisons[0].changes[0].sentence,
        "Medelvärdet för Nära för mig har ökat från 3,0 till 3,2."
    );
    let wide = Scale::new(1, 7, (1..=7).map(|i| format!("Steg {i}")).collect()).unwrap();
    let r2 = Round::new(2025, wide, vec![], vec![entry("3")]).unwrap();
    let s = summarize(
        &[r2, Round::new(2024, scale, vec![], vec![entry("3")]).unwrap()],
        &dalarna(),
        &default_subgoals(),
    );
    assert!(!s.comparisons[0].comparable);
    assert!(s.comparisons[0]
        .overview
        .contains("jämförs inte eftersom svarsskalan har ändrats (1–5 respektive 1–7)"));
}

#[test]
fn ties_list_every_tied_subgoal() {
    let values = ["3", "3", "2", "2", "3"].map(|v| Some(Score::parse(v).unwrap()));
    let round = Round::new(
        2024,
        Scale::default(),
        vec![],
        vec![ConsolidatedEntry {
            lsl: "lsl-orsa".into(),
            values: values.to_vec(),
            applied_table: Some(true),
        }],
    )
    .unwrap();
    let y = analyse_year(&round, &dalarna(), &default_subgoals());
    assert_eq!(y.highest, vec![1, 2, 5]);
    assert_eq!(y.lowest, vec![3, 4]);
    assert_eq!(y.answered_text, "1 av 13");
    assert!(y.sentences.contains(
        &"Delmål 1, ”Nära för mig”, delmål 2, ”Nära för alla” och delmål 5, ”Nära till hälsa”, skattades högst (medelvärde 3,0).".to_string()
    ));
    // A single LSL has no spread: no spread sentence.
    assert!(!y.sentences.iter().any(|s| s.starts_with("Spridningen")));
}

#[test]
fn lsl_profile_compares_with_county_and_earlier_years() {
    let rounds = rounds();
    let p = lsl_profile("lsl-mora", 2024, &rounds, &dalarna(), &default_subgoals()).unwrap();
    assert_eq!(p.lsl_name, "Mora");
    assert_eq!(p.respondents, 2);
    let row2 = &p.rows[1];
    assert_eq!(row2.own.map(Score::as_f64), Some(2.5));
    assert!(close(row2.county_mean, 40.5 / 13.0));
    assert!(close(row2.difference, 2.5 - 40.5 / 13.0));
    assert_eq!(row2.earlier.len(), 1);
    assert_eq!(row2.earlier[0].year, 2023);
    assert_eq!(row2.earlier[0].value.map(Score::as_f64), Some(2.5));
    assert_eq!(row2.respondent_range, Some((2, 3)));
    assert_eq!(row2.respondents[0].role, "kommunrepresentant");
    assert_eq!(row2.respondents[0].perspective.as_deref(), Some("Kommunens perspektiv"));
    assert_eq!(p.rows[0].respondent_range, Some((4, 4)));
    assert_eq!(p.footnotes.len(), 3);
    assert_eq!(p.questions.len(), 4);
    assert_eq!(p.questions[1], "Vad skulle krävas för högre skattningar?");
    assert!(lsl_profile("lsl-mora", 2022, &rounds, &dalarna(), &default_subgoals()).is_none());
    let falun = lsl_profile("lsl-falun", 2024, &rounds, &dalarna(), &default_subgoals()).unwrap();
    assert!(falun.footnotes.is_empty());
}

#[test]
fn bad_csv_rows_are_located() {
    let registry = dalarna();
    let scale = Scale::default();
    let subgoals = default_subgoals();
    let text = "år;lsl;respondent;roll;perspektiv;delmal1;delmal2;delmal3;delmal4;delmal5;tillampat
20x4;Mora;Anna;ordf;kommun;3;3;3;3;3;ja
2024;Uppsala;Anna;ordf;kommun;3;3;3;3;3;ja
2024;Mora;Anna;ordf;kommun;7;2,5;3;3;3;kanske
2024;Orsa;;;;5,5;2,555;x;3;3;ja
2024;Leksand;;;;3;3;3;3;3;ja
2024;Leksand;Lars;ordf;staten;3;3;3;3;3;ja
";
    let errors = import_csv(text, &registry, &scale, &subgoals).unwrap_err();
    let msgs: Vec<String> = errors.0.iter().map(|e| e.to_string()).collect();
    let has = |s: &str| msgs.iter().any(|m| m.contains(s));
    assert!(has("rad 2, fält år: \"20x4\" är inget årtal."), "{msgs:#?}");
    assert!(
        has("rad 3, fält lsl: Den lokala systemledningen \"Uppsala\" finns inte i registret."),
        "{msgs:#?}"
    );
    assert!(
        has("rad 4, fält delmal1: Värdet 7 ligger utanför skalan 1–5 för delmål 1 (Nära för mig)."),
        "{msgs:#?}"
    );
    assert!(has("rad 4, fält delmal2: \"2,5\" är inget heltal"), "{msgs:#?}");
    assert!(has("Decimalvärden får bara anges på sammanställda rader"), "{msgs:#?}");
    assert!(has("rad 4, fält tillampat: \"kanske\" är inget giltigt svar"), "{msgs:#?}");
    assert!(has("rad 5, fält delmal1: Värdet 5,5 ligger utanför skalan 1–5 för delmål 1."), "{msgs:#?}");
    assert!(has("rad 5, fält delmal2: \"2,555\" har fler än två decimaler."), "{msgs:#?}");
    assert!(has("rad 5, fält delmal3: \"x\" är inte ett tal."), "{msgs:#?}");
    assert!(
        has("rad 7, fält respondent: Leksand har redan en sammanställd rad för 2024 på rad 6"),
        "{msgs:#?}"
    );
}

#[test]
fn bad_csv_headers_and_empty_files_are_refused() {
    let registry = dalarna();
    let scale = Scale::default();
    let subgoals = default_subgoals();
    let e = import_csv("år;lsl;delmal1;delmal2\n", &registry, &scale, &subgoals).unwrap_err().to_string();
    assert!(e.contains("rad 1: Rubrikraden saknar kolumnerna delmal3, delmal4, delmal5."), "{e}");
    let e = import_csv("år;lsl;delmal1;delmal2;delmal3;delmal4;delmal5\n", &registry, &scale, &subgoals)
        .unwrap_err()
        .to_string();
    assert!(e.contains("Filen innehåller inga svarsrader."), "{e}");
    // Minimal columns and empty cells are fine.
    let ok = import_csv(
        "ÅR;LSL;DELMAL1;DELMAL2;DELMAL3;DELMAL4;DELMAL5\n2022;Orsa;3;;;;\n",
        &registry,
        &scale,
        &subgoals,
    )
    .unwrap();
    assert_eq!(ok[0].result("lsl-orsa").unwrap().value(1), Some(Score::whole(3)));
    assert_eq!(ok[0].result("lsl-orsa").unwrap().value(2), None);
}

fn arb_answers() -> impl Strategy<Value = Vec<IndividualAnswer>> {
    let registry = dalarna();
    let codes: Vec<String> = registry.lsls.iter().map(|l| l.code.clone()).collect();
    let one = (
        prop::sample::select(codes),
        prop::array::uniform5(prop::option::of(1u8..=5)),
        prop::option::of(any::<bool>()),
        "[A-Ö][a-ö]{1,6}",
    )
        .prop_map(|(lsl, ratings, applied, name)| {
            let scale = Scale::default();
            IndividualAnswer {
                lsl,
                respondent: name,
                role: "ordförande".into(),
                perspective: Some(Perspective::Bada),
                ratings: ratings.iter().map(|r| r.and_then(|v| scale.rating(v))).collect(),
                applied_table: applied,
                reflections: Default::default(),
            }
        });
    prop::collection::vec(one, 0..30)
}

proptest! {
    #[test]
    fn means_lie_within_min_and_max_and_distributions_sum_up(answers in arb_answers()) {
        let round = Round::new(2024, Scale::default(), answers, vec![]).unwrap();
        let y = analyse_year(&round, &dalarna(), &default_subgoals());
        for s in &y.subgoals {
            let total: usize = s.distribution.iter().map(|o| o.count).sum();
            prop_assert_eq!(total, s.answered);
            if let (Some(m), Some(lo), Some(hi)) = (s.mean, s.min, s.max) {
                prop_assert!(m >= lo.as_f64() - 1e-9 && m <= hi.as_f64() + 1e-9);
                prop_assert!(s.std_dev.unwrap() <= (hi.as_f64() - lo.as_f64()) / 2.0 + 1e-9);
            }
            prop_assert!(s.answered <= y.answered);
        }
        prop_assert!(y.answered <= 13);
        prop_assert!(y.applied_table <= y.answered);
    }

    #[test]
    fn an_lsl_value_lies_within_its_respondents_ratings(answers in arb_answers()) {
        let round = Round::new(2024, Scale::default(), answers, vec![]).unwrap();
        for r in &round.results {
            for n in 1..=5 {
                let given: Vec<u8> = r.respondents.iter().filter_map(|p| p.ratings[n - 1]).collect();
                match (r.value(n), given.iter().min(), given.iter().max()) {
                    (Some(v), Some(&lo), Some(&hi)) => {
                        prop_assert!(v >= Score::whole(lo) && v <= Score::whole(hi));
                        prop_assert_eq!(r.averaged.iter().any(|a| usize::from(a.subgoal) == n), lo != hi);
                    }
                    (None, None, None) => {}
                    other => prop_assert!(false, "inconsistent {:?}", other),
                }
            }
        }
    }

    #[test]
    fn input_order_does_not_change_results(
        (original, shuffled) in arb_answers().prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
    ) {
        let registry = dalarna();
        let a = Round::new(2024, Scale::default(), original, vec![]).unwrap();
        let b = Round::new(2024, Scale::default(), shuffled, vec![]).unwrap();
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(
            analyse_year(&a, &registry, &default_subgoals()),
            analyse_year(&b, &registry, &default_subgoals())
        );
    }
}
