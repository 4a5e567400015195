//! Tests with a mapping of all 13 LSLs shaped like the 2024 report: 9 of 13 meet twice per term,
//! 1 of 13 has political representation, 10 of 13 miss a key actor, 10 of 13 do not work actively
//! with user influence, 10 have a local plan, 3 of 15 municipalities have a communication plan.

use super::*;
use crate::organisation::dalarna;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

fn base(lsl: &str, municipalities: &[String]) -> MappingAnswer {
    MappingAnswer {
        lsl: lsl.to_string(),
        structure: Structure {
            has_convener: true,
            convener: "Områdessamordnare".into(),
            has_chair: true,
            chair: "Socialchef".into(),
            members: vec![
                Member { side: Side::Kommun, role: "Förvaltningschef socialtjänst".into() },
                Member { side: Side::Region, role: "Verksamhetschef VC".into() },
            ],
            meeting_frequency: MeetingFrequency::TvaGangerPerTermin,
        },
        mission: String::new(),
        collaboration: Collaboration {
            polsam: true,
            political_representation: false,
            missing_actors: BTreeSet::new(),
            missing_other: String::new(),
            description: String::new(),
            polsam_systematic: None,
        },
        user_influence: UserInfluence {
            works_actively: false,
            how: String::new(),
            user_representative: None,
        },
        local_plan: LocalPlanStatus::Ja,
        local_agreements: String::new(),
        communication_plans: municipalities.iter().map(|m| (m.clone(), false)).collect(),
        what_works: String::new(),
        challenges: String::new(),
        support_requests: String::new(),
    }
}

fn report_round() -> MappingRound {
    let registry = dalarna();
    let mut answers: Vec<MappingAnswer> =
        registry.lsls.iter().map(|l| base(&l.code, &l.municipalities)).collect();
    // Registry order: Vansbro, Malung-Sälen, Gagnef, Leksand, Rättvik, Orsa, Älvdalen,
    // Västerbergslagen, Mora, Falun, Borlänge, Säter, Södra Dalarna.
    answers[0].structure.meeting_frequency = MeetingFrequency::EnGangPerManad;
    answers[1].structure.meeting_frequency = MeetingFrequency::EnGangPerManad;
    answers[2].structure.meeting_frequency = MeetingFrequency::EnGangPerTermin;
    answers[3].structure.meeting_frequency = MeetingFrequency::TvaTillTreGangerPerAr;
    answers[9].collaboration.political_representation = true;
    for a in answers.iter_mut().take(10) {
        a.collaboration.missing_actors.insert(KeyActor::Vuxenpsykiatri);
    }
    answers[0].collaboration.missing_actors.insert(KeyActor::Bup);
    answers[1].collaboration.missing_actors.insert(KeyActor::Politik);
    for (i, how) in
        [(4, "Patient- och brukarråd"), (8, "Pensionärs- och funktionshinderråd"), (10, "Delaktighetsråd")]
    {
        answers[i].user_influence =
            UserInfluence { works_actively: true, how: how.into(), user_representative: None };
    }
    for i in [5, 6] {
        answers[i].local_plan = LocalPlanStatus::UnderArbete;
    }
    answers[11].local_plan = LocalPlanStatus::Nej;
    answers[11].local_agreements = "Lokal överenskommelse för missbruk, barn och unga".into();
    answers[9].communication_plans.insert("2080".into(), true);
    answers[12].communication_plans.insert("2083".into(), true);
    answers[7].communication_plans.insert("2085".into(), true);
    answers[8].challenges = "Uppdraget upplevs luddigt.".into();
    answers[2].challenges = "Möten behöver prioriteras.".into();
    answers[3].what_works = "Dialog och kommunikation.".into();
    MappingRound::new(2024, answers).unwrap()
}

#[test]
fn summary_states_the_reports_counts() {
    let s = summarize(&report_round(), &dalarna());
    assert_eq!(s.mapped.text, "13 av 13 lokala systemledningar har kartlagts");
    assert_eq!(s.convener.text, "13 av 13 har en struktur för sammankallande");
    assert_eq!(s.chair.text, "13 av 13 har en utsedd ordförande");
    let freq: Vec<&str> = s.meeting_frequency.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        freq,
        vec![
            "2 av 13 träffas 1 gång per månad",
            "9 av 13 träffas 2 gånger per termin",
            "1 av 13 träffas 1 gång per termin",
            "1 av 13 träffas 2–3 gånger per år",
        ]
    );
    assert_eq!(s.polsam.text, "13 av 13 har POLSAM inom sitt samverkansområde");
    assert_eq!(s.political_representation.text, "1 av 13 har politisk representation i systemledningen");
    assert_eq!(s.missing_any_actor.text, "10 av 13 saknar någon nyckelaktör i systemledningen");
    let actors: BTreeMap<&str, usize> = s.missing_actors.iter().map(|l| (l.key.as_str(), l.count)).collect();
    assert_eq!(actors["saknar.vuxenpsykiatri"], 10);
    assert_eq!(actors["saknar.bup"], 1);
    assert_eq!(actors["saknar.politik"], 1);
    assert_eq!(actors["saknar.ambulans"], 0);
    assert_eq!(s.missing_actors.len(), 7);
    assert_eq!(s.missing_actors[2].text, "1 av 13 saknar BUP");
    assert_eq!(s.user_influence_not_active.text, "10 av 13 arbetar inte aktivt med brukarinflytande");
    assert_eq!(s.user_influence_active.text, "3 av 13 arbetar aktivt med brukarinflytande");
    assert_eq!(s.local_plan[0].text, "10 av 13 har tagit fram en lokal plan för God och nära vård");
    assert_eq!(s.local_plan[1].text, "2 av 13 håller på att ta fram en lokal plan för God och nära vård");
    assert_eq!(s.local_plan[2].text, "1 av 13 har ingen lokal plan för God och nära vård");
    assert_eq!(s.communication_plan.text, "3 av 15 kommuner har tagit fram en kommunikationsplan");
    assert_eq!(s.member_roles[0].lsls, 13);
}

#[test]
fn registers_list_plans_per_lsl_and_municipality() {
    let s = summarize(&report_round(), &dalarna());
    assert_eq!(s.local_plans.len(), 13);
    assert_eq!(s.local_plans[0].lsl_name, "Vansbro");
    let sater = s.local_plans.iter().find(|p| p.lsl_name == "Säter").unwrap();
    assert_eq!(sater.status, LocalPlanStatus::Nej);
    assert_eq!(sater.local_agreements, "Lokal överenskommelse för missbruk, barn och unga");
    assert_eq!(s.communication_plans.len(), 15);
    let with: Vec<&str> =
        s.communication_plans.iter().filter(|c| c.has_plan).map(|c| c.municipality_name.as_str()).collect();
    assert_eq!(with, vec!["Ludvika", "Falun", "Hedemora"]);
    let ludvika = s.communication_plans.iter().find(|c| c.municipality == "2085").unwrap();
    assert_eq!(ludvika.lsl_name, "Västerbergslagen");
}

#[test]
fn free_text_is_grouped_per_question_with_the_lsl_attached() {
    let s = summarize(&report_round(), &dalarna());
    let questions: Vec<TextQuestion> = s.free_text.iter().map(|g| g.question).collect();
    assert_eq!(
        questions,
        vec![
            TextQuestion::Brukarinflytande,
            TextQuestion::LokalaOverenskommelser,
            TextQuestion::FungerarBra,
            TextQuestion::Utmaningar
        ]
    );
    let challenges = s.free_text.iter().find(|g| g.question == TextQuestion::Utmaningar).unwrap();
    assert_eq!(challenges.label, "Vilka utmaningar ser ni?");
    let pairs: Vec<(&str, &str)> =
        challenges.answers.iter().map(|a| (a.lsl_name.as_str(), a.text.as_str())).collect();
    assert_eq!(pairs, vec![("Gagnef", "Möten behöver prioriteras."), ("Mora", "Uppdraget upplevs luddigt.")]);
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        json["political_representation"]["text"],
        "1 av 13 har politisk representation i systemledningen"
    );
    assert_eq!(json["free_text"][0]["question"], "brukarinflytande");
    assert_eq!(json["local_plans"][5]["status"], "under_arbete");
}

#[test]
fn partial_mapping_counts_out_of_the_mapped_lsls() {
    let round = report_round();
    let answers: Vec<MappingAnswer> =
        round.answers.into_iter().filter(|a| a.lsl != "lsl-sodra-dalarna").collect();
    let s = summarize(&MappingRound::new(2024, answers).unwrap(), &dalarna());
    assert_eq!(s.mapped.text, "12 av 13 lokala systemledningar har kartlagts");
    assert_eq!(s.polsam.text, "12 av 12 har POLSAM inom sitt samverkansområde");
    assert_eq!(s.communication_plan.text, "2 av 13 kommuner har tagit fram en kommunikationsplan");
}

#[test]
fn two_answers_for_one_lsl_are_refused() {
    let registry = dalarna();
    let mora = &registry.lsls[8];
    let a = base(&mora.code, &mora.municipalities);
    let e = MappingRound::new(2024, vec![a.clone(), a]).unwrap_err().to_string();
    assert!(e.contains("lsl-mora har mer än ett svar i kartläggningen 2024."), "{e}");
}

const FORM: [(&str, &str); 19] = [
    ("lsl", "Södra Dalarna"),
    ("sammankallande_struktur", "ja"),
    ("sammankallande", "Områdessamordnare"),
    ("ordforande_finns", "ja"),
    ("ordforande", "Socialchef Avesta"),
    ("medlemmar", "kommun: Förvaltningschef socialtjänst\nregion: Verksamhetschef VC\n\nkommun: MAS"),
    ("motesfrekvens", "2 gånger per termin"),
    ("uppdrag", "Leda och fördela arbetet till arbetsgrupper."),
    ("polsam", "ja"),
    ("politisk_representation", "nej"),
    ("saknade_aktorer", "bup"),
    ("saknade_aktorer", "ambulans, vuxenpsykiatri"),
    ("brukarinflytande", "ja"),
    ("brukarinflytande_hur", "Genom pensionärsråd."),
    ("lokal_plan", "pågår"),
    ("kommunikationsplan_2083", "ja"),
    ("kommunikationsplan_2084", "nej"),
    ("utmaningar", "Resurser till primärvården."),
    ("stodbehov", "Mallar för handlingsplan."),
];

#[test]
fn the_form_parses_into_a_typed_answer() {
    let a = parse_form(FORM.iter().copied(), &dalarna()).unwrap();
    assert_eq!(a.lsl, "lsl-sodra-dalarna");
    assert_eq!(a.structure.members.len(), 3);
    assert_eq!(
        a.structure.members[0],
        Member { side: Side::Kommun, role: "Förvaltningschef socialtjänst".into() }
    );
    assert_eq!(a.structure.meeting_frequency, MeetingFrequency::TvaGangerPerTermin);
    assert_eq!(
        a.collaboration.missing_actors,
        [KeyActor::Vuxenpsykiatri, KeyActor::Bup, KeyActor::Ambulans].into_iter().collect()
    );
    assert_eq!(a.local_plan, LocalPlanStatus::UnderArbete);
    assert_eq!(a.communication_plans.get("2083"), Some(&true));
    assert_eq!(a.communication_plans.get("2084"), Some(&false));
    assert_eq!(a.support_requests, "Mallar för handlingsplan.");
    assert_eq!(a.text(TextQuestion::Brukarinflytande), "Genom pensionärsråd.");
}

#[test]
fn bad_form_input_is_reported_per_field() {
    let mut pairs = FORM.to_vec();
    pairs[5] = ("medlemmar", "Förvaltningschef utan sida");
    pairs[6] = ("motesfrekvens", "ibland");
    pairs[9] = ("politisk_representation", "kanske");
    pairs[10] = ("saknade_aktorer", "annat");
    pairs[11] = ("saknade_aktorer", "tandvård");
    pairs[13] = ("brukarinflytande_hur", "");
    pairs[14] = ("lokal_plan", "");
    pairs[16] = ("kommunikationsplan_2062", "ja");
    let errors = parse_form(pairs.iter().copied(), &dalarna()).unwrap_err();
    let text = errors.to_string();
    for expected in [
        "fält medlemmar: Rad 1 (\"Förvaltningschef utan sida\") ska skrivas som \"kommun: roll\"",
        "fält motesfrekvens: \"ibland\" är ingen känd mötesfrekvens; välj en av: varannan vecka eller oftare, 1 gång per månad",
        "fält politisk_representation: \"kanske\" är inget giltigt svar; ange ja eller nej.",
        "fält saknade_aktorer: \"tandvård\" är ingen känd nyckelaktör.",
        "fält saknad_annan: Ange vilken annan aktör som saknas.",
        "fält brukarinflytande_hur: Beskriv hur ni arbetar med brukarinflytande",
        "fält lokal_plan: Ange om ni har tagit fram en lokal plan för God och nära vård: ja, pågår eller nej.",
        "fält kommunikationsplan_2084: Svara ja eller nej på frågan om Avesta har en kommunikationsplan.",
        "fält kommunikationsplan_2062: Kommunen 2062 ingår inte i Södra Dalarna.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let e = parse_form([("lsl", "Gotland")], &dalarna()).unwrap_err().to_string();
    assert!(e.contains("Den lokala systemledningen \"Gotland\" finns inte i registret."));
    assert!(e.contains("Ange hur ofta den lokala systemledningen träffas."));
}

#[test]
fn enums_parse_codes_and_labels() {
    assert_eq!(MeetingFrequency::parse("2-3 gånger per år"), Some(MeetingFrequency::TvaTillTreGangerPerAr));
    assert_eq!(MeetingFrequency::parse("1-per-manad"), Some(MeetingFrequency::EnGangPerManad));
    assert_eq!(KeyActor::parse("BUP"), Some(KeyActor::Bup));
    assert_eq!(KeyActor::parse("akutmottagning"), Some(KeyActor::Akutsjukvard));
    assert_eq!(LocalPlanStatus::parse("Under arbete"), Some(LocalPlanStatus::UnderArbete));
    assert!(LOCAL_PLAN_IS_NOT_LOK.contains("LÖK"));
}

proptest! {
    #[test]
    fn counts_are_consistent_and_order_free(
        flags in prop::collection::vec((any::<bool>(), any::<bool>(), any::<bool>(), 0usize..6, 0usize..3, 0u8..128), 13),
        seed in any::<u64>(),
    ) {
        let registry = dalarna();
        let answers: Vec<MappingAnswer> = registry.lsls.iter().zip(&flags).map(|(l, (pol, active, plan, freq, status, actors))| {
            let mut a = base(&l.code, &l.municipalities);
            a.collaboration.political_representation = *pol;
            a.user_influence = UserInfluence { works_actively: *active, how: if *active { "Brukarråd".into() } else { String::new() }, user_representative: None };
            a.structure.meeting_frequency = MeetingFrequency::ALL[*freq];
            a.local_plan = LocalPlanStatus::ALL[*status];
            a.collaboration.missing_actors = KeyActor::ALL.iter().enumerate().filter(|(i, _)| actors & (1 << i) != 0).map(|(_, k)| *k).collect();
            for v in a.communication_plans.values_mut() { *v = *plan; }
            a
        }).collect();
        let mut shuffled = answers.clone();
        let k = (seed as usize) % shuffled.len();
        shuffled.rotate_left(k);
        shuffled.reverse();
        let s1 = summarize(&MappingRound::new(2024, answers).unwrap(), &registry);
        let s2 = summarize(&MappingRound::new(2024, shuffled).unwrap(), &registry);
        prop_assert_eq!(&s1, &s2);
        prop_assert_eq!(s1.meeting_frequency.iter().map(|l| l.count).sum::<usize>(), 13);
        prop_assert_eq!(s1.local_plan.iter().map(|l| l.count).sum::<usize>(), 13);
        prop_assert_eq!(s1.user_influence_active.count + s1.user_influence_not_active.count, 13);
        prop_assert_eq!(s1.communication_plan.total, 15);
        for l in &s1.missing_actors {
            prop_assert!(l.count <= s1.missing_any_actor.count);
        }
    }
}

#[test]
fn form_version_2_topics_are_read_only_when_asked() {
    // Version 1 fields: no value for the new topics.
    let a = parse_form(FORM.iter().copied(), &dalarna()).unwrap();
    assert_eq!((a.user_influence.user_representative, a.collaboration.polsam_systematic), (None, None));
    // Version 2 fields.
    let mut v2 = FORM.to_vec();
    v2.extend([("brukarrepresentant", "ja"), ("polsam_systematisk", "nej")]);
    let a = parse_form(v2.iter().copied(), &dalarna()).unwrap();
    assert_eq!(
        (a.user_influence.user_representative, a.collaboration.polsam_systematic),
        (Some(true), Some(false))
    );
    let mut bad = FORM.to_vec();
    bad.push(("brukarrepresentant", "kanske"));
    let e = parse_form(bad.iter().copied(), &dalarna()).unwrap_err().to_string();
    assert!(e.contains("fält brukarrepresentant") && e.contains("\"kanske\" är inget giltigt svar"), "{e}");
    // The standard version 2 form asks both, required; version 1 asks neither.
    use crate::rapportering::formular::{FormDefinition, KARTLAGGNING_TOML, KARTLAGGNING_V2_TOML};
    let v2 = FormDefinition::parse(KARTLAGGNING_V2_TOML).unwrap();
    assert_eq!(v2.version, 2);
    for id in ["brukarrepresentant", "polsam_systematisk"] {
        assert!(v2.question(id).is_some_and(|q| q.obligatorisk), "{id}");
        assert!(FormDefinition::parse(KARTLAGGNING_TOML).unwrap().question(id).is_none(), "{id}");
    }
}

#[test]
fn counted_statements_agree_in_number() {
    let yes = "har brukarrepresentant i systemledningen";
    let no = "har ingen brukarrepresentant i systemledningen";
    let none = "har någon brukarrepresentant i systemledningen";
    let text = |answers: &[Option<bool>]| lsl_statement("k", answers, yes, no, none).map(|l| l.text);
    let n = |k: usize, of: usize| -> Vec<Option<bool>> { (0..of).map(|i| Some(i < k)).collect() };
    assert_eq!(
        text(&n(0, 13)).unwrap(),
        "Ingen av de 13 lokala systemledningarna har någon brukarrepresentant i systemledningen"
    );
    assert_eq!(
        text(&n(0, 3)).unwrap(),
        "Ingen av de tre lokala systemledningarna har någon brukarrepresentant i systemledningen"
    );
    assert_eq!(
        text(&n(4, 13)).unwrap(),
        "4 av 13 lokala systemledningar har brukarrepresentant i systemledningen"
    );
    assert_eq!(
        text(&n(1, 13)).unwrap(),
        "1 av 13 lokala systemledningar har brukarrepresentant i systemledningen"
    );
    assert_eq!(
        text(&n(13, 13)).unwrap(),
        "Samtliga 13 lokala systemledningar har brukarrepresentant i systemledningen"
    );
    assert_eq!(
        text(&n(1, 1)).unwrap(),
        "Den kartlagda lokala systemledningen har brukarrepresentant i systemledningen"
    );
    assert_eq!(
        text(&n(0, 1)).unwrap(),
        "Den kartlagda lokala systemledningen har ingen brukarrepresentant i systemledningen"
    );
    // Answers without the question (form version 1) are not counted; none at all: no statement.
    assert_eq!(text(&[None, None]), None);
    let mixed = lsl_statement("k", &[Some(true), None, Some(false)], yes, no, none).unwrap();
    assert_eq!((mixed.count, mixed.total), (1, 2));
    // The summary has the lines only for answers given on version 2.
    let registry = dalarna();
    let round = report_round();
    let s = summarize(&round, &registry);
    assert_eq!((s.user_representative.clone(), s.polsam_systematic.clone()), (None, None));
    let mut answers = round.answers.clone();
    for (i, a) in answers.iter_mut().enumerate() {
        a.user_influence.user_representative = Some(false);
        a.collaboration.polsam_systematic = Some(i < 4);
    }
    let s = summarize(&MappingRound::new(2024, answers).unwrap(), &registry);
    assert_eq!(
        s.user_representative.unwrap().text,
        "Ingen av de 13 lokala systemledningarna har någon brukarrepresentant i systemledningen"
    );
    assert_eq!(
        s.polsam_systematic.unwrap().text,
        "4 av 13 lokala systemledningar samverkar systematiskt med POLSAM"
    );
}
