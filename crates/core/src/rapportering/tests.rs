use super::formular::*;
use super::*;

fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn parts_and_statuses() {
    assert_eq!(Part::parse("självskattning"), Some(Part::Sjalvskattning));
    assert_eq!(Part::parse("kommunenkat"), Some(Part::Kommunenkat));
    assert_eq!(Part::Ekonomi.assignee(), Assignee::Kommun);
    assert_eq!(Part::Kartlaggning.assignee(), Assignee::Lsl);
    assert_eq!(Status::parse("återöppnad"), Some(Status::Ateroppnad));
    assert_eq!(Status::EjPaborjad.after(Event::SaveDraft), Ok(Status::Utkast));
    assert_eq!(Status::Utkast.after(Event::Submit), Ok(Status::Inskickad));
    assert!(Status::Inskickad.after(Event::Submit).unwrap_err().to_string().contains("redan inskickat"));
    assert_eq!(Status::Inskickad.after(Event::Submit), Err(TransitionError::AlreadySubmitted));
    assert!(Status::Inskickad.after(Event::SaveDraft).is_err());
    assert_eq!(Status::Inskickad.after(Event::Reopen), Ok(Status::Ateroppnad));
    assert_eq!(Status::Ateroppnad.after(Event::SaveDraft), Ok(Status::Ateroppnad));
    assert_eq!(Status::Ateroppnad.after(Event::Submit), Ok(Status::Inskickad));
    assert!(Status::Utkast.after(Event::Reopen).is_err());
    assert_eq!(check_reason("  "), Err(ReasonError::Missing));
    assert_eq!(ReasonError::Missing.to_string(), "Ange ett skäl till att svaret återöppnas.");
    assert_eq!(check_reason(" Fel delmål ").unwrap(), "Fel delmål");
}

#[test]
fn standard_forms_parse() {
    let s = standard_form(Part::Sjalvskattning).expect("sjalvskattning");
    assert_eq!(s.part(), Some(Part::Sjalvskattning));
    assert_eq!(s.scale().range_text(), "1–5");
    assert_eq!(s.questions().filter(|q| q.typ == QuestionType::Skala).count(), 5);
    let k = standard_form(Part::Kartlaggning).expect("kartlaggning");
    assert!(k.question("kommunikationsplan").unwrap().per_kommun);
    assert!(standard_form(Part::Ekonomi).is_none());
}

fn full_self_assessment() -> Vec<(String, String)> {
    f(&[
        ("respondent", "Anna"),
        ("roll", "ordförande"),
        ("perspektiv", "bada"),
        ("delmal1", "4"),
        ("delmal2", "3"),
        ("delmal3", "2"),
        ("delmal4", "5"),
        ("delmal5", "1"),
        ("tillampat", "ja"),
        ("reflektion2", "Vi har kommit en bit."),
    ])
}

#[test]
fn a_complete_self_assessment_validates_and_feeds_the_domain_parser() {
    let def = standard_form(Part::Sjalvskattning).unwrap();
    let answers = def.validate(&full_self_assessment(), &FormContext::default(), Mode::Submit).unwrap();
    assert_eq!(answers["delmal4"], Value::Skala(5));
    assert_eq!(answers["tillampat"], Value::JaNej(true));
    assert_eq!(answers["perspektiv"], Value::Enval { kod: "bada".into(), annat: String::new() });
    let mut fields = def.to_fields(&answers);
    fields.push(("lsl".into(), "lsl-mora".into()));
    let registry = crate::organisation::dalarna();
    let scale = def.scale();
    let subgoals = crate::delmal::default_subgoals();
    let ctx = crate::sjalvskattning::FormContext {
        registry: &registry,
        scale: &scale,
        subgoals: &subgoals,
        require_all_ratings: true,
    };
    let a = crate::sjalvskattning::parse_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())), &ctx)
        .unwrap();
    assert_eq!(a.lsl, "lsl-mora");
    assert_eq!(a.reflections[1], "Vi har kommit en bit.");
}

#[test]
fn out_of_scale_missing_required_and_bad_choices_are_named() {
    let def = standard_form(Part::Sjalvskattning).unwrap();
    let mut fields = full_self_assessment();
    fields.retain(|(k, _)| k != "delmal3" && k != "respondent");
    fields.push(("delmal2".into(), "7".into()));
    fields.push(("perspektiv".into(), "staten".into()));
    let e = def.validate(&fields, &FormContext::default(), Mode::Submit).unwrap_err().to_string();
    assert!(e.contains("fält delmal2: Värdet 7 ligger utanför skalan 1–5"), "{e}");
    assert!(
        e.contains(
            "fält delmal3: Frågan ”Hur väl stämmer påståendet in på ert arbete? (delmål 3)” måste besvaras."
        ),
        "{e}"
    );
    assert!(e.contains("fält respondent: Frågan ”Ditt namn” måste besvaras."), "{e}");
    assert!(e.contains("\"staten\" är inget giltigt svar"), "{e}");
    // A draft may be incomplete, but what is given must be valid.
    let draft = f(&[("delmal1", "3")]);
    assert_eq!(def.validate(&draft, &FormContext::default(), Mode::Draft).unwrap().len(), 1);
    let bad = f(&[("delmal1", "0")]);
    assert!(def.validate(&bad, &FormContext::default(), Mode::Draft).is_err());
}

#[test]
fn conditions_other_and_per_municipality_questions() {
    let def = standard_form(Part::Kartlaggning).unwrap();
    let ctx = FormContext {
        municipalities: vec![("2083".into(), "Hedemora".into()), ("2084".into(), "Avesta".into())],
    };
    let base = [
        ("sammankallande_struktur", "ja"),
        ("sammankallande", "Områdessamordnare"),
        ("ordforande_finns", "nej"),
        ("ordforande", "ska tas bort eftersom villkoret inte gäller"),
        ("motesfrekvens", "2-per-termin"),
        ("polsam", "ja"),
        ("politisk_representation", "nej"),
        ("saknade_aktorer", "bup"),
        ("saknad_annan", "Tandvård"),
        ("brukarinflytande", "ja"),
        ("lokal_plan", "pagar"),
        ("kommunikationsplan_2083", "ja"),
    ];
    let e = def.validate(&f(&base), &ctx, Mode::Submit).unwrap_err().to_string();
    assert!(
        e.contains(
            "fält brukarinflytande_hur: Frågan ”Hur arbetar ni med brukarinflytande?” måste besvaras."
        ),
        "{e}"
    );
    assert!(e.contains("fält kommunikationsplan_2084"), "{e}");
    assert!(e.contains("Avesta"), "{e}");
    let mut ok = f(&base);
    ok.push(("brukarinflytande_hur".into(), "Brukarråd".into()));
    ok.push(("kommunikationsplan_2084".into(), "nej".into()));
    let a = def.validate(&ok, &ctx, Mode::Submit).unwrap();
    assert!(!a.contains_key("ordforande"), "inactive question dropped");
    assert_eq!(
        a["saknade_aktorer"],
        Value::Flerval { koder: vec!["bup".into(), "annat".into()], annat: "Tandvård".into() }
    );
    let mut fields = def.to_fields(&a);
    fields.push(("lsl".into(), "lsl-sodra-dalarna".into()));
    let m = crate::kartlaggning::parse_form(
        fields.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        &crate::organisation::dalarna(),
    )
    .unwrap();
    assert_eq!(m.collaboration.missing_other, "Tandvård");
    assert_eq!(m.communication_plans.get("2084"), Some(&false));
    // "Annat" without text.
    let mut other = ok.clone();
    other.retain(|(k, _)| k != "saknad_annan");
    other.push(("saknade_aktorer".into(), "annat".into()));
    assert!(def.validate(&other, &ctx, Mode::Submit).unwrap_err().to_string().contains("skriv vad"));
}

#[test]
fn numbers_amounts_and_definition_errors() {
    let def = FormDefinition::parse(
        r#"
id = "prov"
version = 2
del = "ekonomi"
titel = "Prov"
[[grupp]]
id = "g"
rubrik = "G"
[[grupp.fraga]]
id = "belopp"
typ = "belopp"
text = "Förbrukade medel"
obligatorisk = true
[[grupp.fraga]]
id = "antal"
typ = "tal"
text = "Antal"
heltal = true
min = 0
max = 15
"#,
    )
    .unwrap();
    let a = def
        .validate(&f(&[("belopp", "1 894 630"), ("antal", "3")]), &FormContext::default(), Mode::Submit)
        .unwrap();
    assert_eq!(a["belopp"], Value::Belopp(1_894_630));
    assert_eq!(a["antal"], Value::Tal(3.0));
    let e = def
        .validate(&f(&[("belopp", "-5"), ("antal", "2,5")]), &FormContext::default(), Mode::Submit)
        .unwrap_err()
        .to_string();
    assert!(e.contains("fält antal: ”Antal” ska vara ett heltal"), "{e}");
    assert!(e.contains("fält belopp"), "{e}");
    let e = FormDefinition::parse("id = \"x\"\nversion = 0\ndel = \"okand\"\ntitel = \"x\"\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("Versionen måste vara 1 eller högre.") && e.contains("Okänd del"), "{e}");
    let dup = "id='x'\nversion=1\ndel='ekonomi'\ntitel='x'\n[[grupp]]\nid='g'\nrubrik='g'\n[[grupp.fraga]]\nid='a'\ntyp='kort_text'\ntext='a'\n[[grupp.fraga]]\nid='a'\ntyp='enval'\ntext='b'\n";
    let e = FormDefinition::parse(dup).unwrap_err().to_string();
    assert!(e.contains("används mer än en gång") && e.contains("saknar svarsalternativ"), "{e}");
}
