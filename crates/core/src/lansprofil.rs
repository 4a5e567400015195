//! The county profile (länsprofil): everything that differs between counties apart from the
//! organisation registry — the county's short name for running text, the regional support unit,
//! the transition's vision and sub-goals, the county's own sources that the annual report cites,
//! where the infographic is published and the report's title.
//!
//! One documented TOML file (`docs/lansprofil.md`); Dalarna's profile is built in
//! (`profiles/dalarna.toml`) and installed by `gnv init`. Nothing else in the code names a county:
//! pages, forms, computed sentences and documents take these values from the stored profile.
//!
//! Parsing is all or nothing: [`parse_toml`] returns a [`CountyProfile`] whose invariants hold
//! (sub-goals numbered 1…n without gaps, known source keys, no empty names) or every problem with
//! its row and field in Swedish.

use crate::delmal::SubGoal;
use crate::error::{InputError, InputErrors, Location};
use serde::{Deserialize, Serialize};

/// The built-in profile (Dalarna), as installed by `gnv init`.
pub const BUILTIN_TOML: &str = include_str!("../profiles/dalarna.toml");

/// The most sub-goals a profile may have (form fields `delmal1`…`delmal9`).
pub const MAX_SUBGOALS: usize = 9;

/// The source keys the annual report can cite from a profile, with what each is.
pub const SOURCE_KEYS: &[(&str, &str)] = &[
    ("strategi", "länets strategi för God och nära vård"),
    ("sjalvskattning", "självskattningsverktyget"),
    ("metodstod", "metodstödet för de lokala systemledningarna"),
    ("polsam", "det politiska samverkansorganet mellan kommuner och region"),
];

/// Where the county publishes its infographic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InfographicPlace {
    /// As written in running text after "publiceras på": "Region Dalarnas PLUS-webb".
    pub place: String,
    /// The reference as printed in the list of sources.
    pub title: String,
    /// Web address, empty when there is none.
    #[serde(default)]
    pub url: String,
}

/// One of the county's own sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProfileSource {
    /// One of [`SOURCE_KEYS`].
    pub key: String,
    /// The reference as printed.
    pub title: String,
    /// Web address, empty when there is none.
    #[serde(default)]
    pub url: String,
}

/// A county profile whose invariants hold (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CountyProfile {
    /// The county's short name in running text: "Dalarna" ("i Dalarna").
    pub county: String,
    /// The regional support unit: "RSS Dalarna".
    pub support_unit: String,
    /// The shared vision.
    pub vision: String,
    /// The annual report's title with `{år}` and `{län}`.
    pub report_title: String,
    /// Where the infographic is published; `None` when it is not published on the web.
    pub infographic: Option<InfographicPlace>,
    /// The sub-goals, numbered 1…n.
    pub subgoals: Vec<SubGoal>,
    /// The county's own sources, in file order.
    pub sources: Vec<ProfileSource>,
    /// Which survey areas and headings belong to which sub-goal (report 3.2.3); `None` when the
    /// file has no `kommunenkat_koppling` (then [`CountyProfile::survey_links`] gives the
    /// default for the built-in sub-goals), `Some(vec![])` to have no such analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey_links: Option<Vec<crate::kommunenkat::SurveyLink>>,
}

impl CountyProfile {
    /// The built-in profile (Dalarna).
    pub fn builtin() -> CountyProfile {
        // The embedded file is checked by a unit test; a broken build-in profile is a bug.
        parse_toml(BUILTIN_TOML).expect("the built-in county profile parses")
    }

    /// The report title for a year.
    pub fn report_title(&self, year: i32) -> String {
        self.report_title.replace("{år}", &year.to_string()).replace("{län}", &self.county)
    }

    /// The county's source with `key`, if the profile has one.
    pub fn source(&self, key: &str) -> Option<&ProfileSource> {
        self.sources.iter().find(|s| s.key == key)
    }

    /// Whether `other` has the same sub-goals (numbers, names and statements).
    pub fn same_subgoals(&self, other: &CountyProfile) -> bool {
        self.subgoals == other.subgoals
    }

    /// The mapping survey → sub-goal the report's analysis uses: the profile's own, else
    /// [`crate::kommunenkat::default_links`] when the sub-goals are the built-in ones (the
    /// default is written for them), else none.
    pub fn survey_links(&self) -> Vec<crate::kommunenkat::SurveyLink> {
        match &self.survey_links {
            Some(links) => links.clone(),
            None if self.subgoals == builtin_subgoals() => crate::kommunenkat::default_links(),
            None => Vec::new(),
        }
    }

    /// The profile in its documented TOML form; [`parse_toml`] reads it back equal.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("# Länsprofil – formatet beskrivs i docs/lansprofil.md.\n");
        let q = toml_string;
        out.push_str(&format!("lan = {}\n", q(&self.county)));
        out.push_str(&format!("stodenhet = {}\n", q(&self.support_unit)));
        out.push_str(&format!("vision = {}\n", q(&self.vision)));
        out.push_str(&format!("rapporttitel = {}\n", q(&self.report_title)));
        if self.survey_links.as_ref().is_some_and(|l| l.is_empty()) {
            out.push_str("kommunenkat_koppling = []\n");
        }
        if let Some(i) = &self.infographic {
            out.push_str("\n[infografik]\n");
            out.push_str(&format!("plats = {}\ntitel = {}\n", q(&i.place), q(&i.title)));
            if !i.url.is_empty() {
                out.push_str(&format!("adress = {}\n", q(&i.url)));
            }
        }
        for g in &self.subgoals {
            out.push_str(&format!(
                "\n[[delmal]]\nnummer = {}\nnamn = {}\npastaende = {}\n",
                g.number,
                q(&g.name),
                q(&g.statement)
            ));
        }
        for l in self.survey_links.iter().flatten() {
            let list = |codes: Vec<&str>| codes.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ");
            out.push_str(&format!(
                "\n[[kommunenkat_koppling]]\ndelmal = {}\nomraden = [{}]\nrubriker = [{}]\n",
                l.subgoal,
                list(l.areas.iter().map(|a| a.code()).collect()),
                list(l.headings.iter().map(|h| h.code()).collect())
            ));
        }
        for s in &self.sources {
            out.push_str(&format!("\n[[kalla]]\nnyckel = {}\ntitel = {}\n", q(&s.key), q(&s.title)));
            if !s.url.is_empty() {
                out.push_str(&format!("adress = {}\n", q(&s.url)));
            }
        }
        out
    }
}

/// The short form of a county's name for running text: "Dalarnas län" → "Dalarna",
/// "Skåne län" → "Skåne", "Västra Götalands län" → "Västra Götaland".
pub fn short_county_name(county_name: &str) -> String {
    let base = county_name.trim().trim_end_matches(" län").trim();
    base.strip_suffix('s').unwrap_or(base).to_string()
}

/// A TOML string, quoted and escaped by the toml crate (as the catalogue's export does).
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    lan: String,
    stodenhet: String,
    vision: String,
    #[serde(default = "default_title")]
    rapporttitel: String,
    #[serde(default)]
    infografik: Option<TomlInfographic>,
    #[serde(default)]
    delmal: Vec<TomlSubGoal>,
    #[serde(default)]
    kalla: Vec<TomlSource>,
    #[serde(default)]
    kommunenkat_koppling: Option<Vec<TomlSurveyLink>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlSurveyLink {
    delmal: i64,
    #[serde(default)]
    omraden: Vec<String>,
    #[serde(default)]
    rubriker: Vec<String>,
}

/// The built-in profile's sub-goals (the default survey mapping is written for them).
fn builtin_subgoals() -> Vec<SubGoal> {
    static BUILTIN: std::sync::OnceLock<Vec<SubGoal>> = std::sync::OnceLock::new();
    BUILTIN.get_or_init(|| CountyProfile::builtin().subgoals).clone()
}

fn default_title() -> String {
    "Årsrapport {år} – God och nära vård i {län}".to_string()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlInfographic {
    plats: String,
    titel: String,
    #[serde(default)]
    adress: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlSubGoal {
    nummer: i64,
    namn: String,
    pastaende: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlSource {
    nyckel: String,
    titel: String,
    #[serde(default)]
    adress: String,
}

/// Parses and checks a profile in the documented TOML format. All problems are reported at once.
pub fn parse_toml(text: &str) -> Result<CountyProfile, InputErrors> {
    let file: TomlFile = toml::from_str(text).map_err(|e| {
        let row = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        InputError::new(
            Location { row, ..Default::default() },
            format!("Filen kunde inte läsas som länsprofil (TOML): {}", e.message()),
        )
    })?;
    let mut errors = Vec::new();
    let mut field = |name: &str, msg: String| errors.push(InputError::new(Location::field(name), msg));

    let required = |v: &str| v.trim().to_string();
    let county = required(&file.lan);
    if county.is_empty() {
        field("lan", "Ange länets korta namn för löptext, t.ex. \"Värmland\".".to_string());
    }
    let support_unit = required(&file.stodenhet);
    if support_unit.is_empty() {
        field("stodenhet", "Ange den regionala stödstrukturens namn.".to_string());
    }
    let vision = required(&file.vision);
    if vision.is_empty() {
        field("vision", "Ange den gemensamma målbilden.".to_string());
    }
    let report_title = required(&file.rapporttitel);
    if !report_title.contains("{år}") {
        field("rapporttitel", "Titeln måste innehålla {år}, som ersätts med rapportens år.".to_string());
    }
    for bad in ["{", "}"] {
        let stripped = report_title.replace("{år}", "").replace("{län}", "");
        if stripped.contains(bad) {
            field("rapporttitel", "Titeln får bara innehålla platshållarna {år} och {län}.".to_string());
            break;
        }
    }
    let infographic = file.infografik.map(|i| {
        if i.plats.trim().is_empty() {
            field(
                "infografik.plats",
                "Ange var infografiken publiceras, eller ta bort avsnittet [infografik].".to_string(),
            );
        }
        if i.titel.trim().is_empty() {
            field("infografik.titel", "Ange infografikens källhänvisning.".to_string());
        }
        check_url(&mut field, "infografik.adress", &i.adress);
        InfographicPlace {
            place: i.plats.trim().to_string(),
            title: i.titel.trim().to_string(),
            url: i.adress.trim().to_string(),
        }
    });

    if file.delmal.is_empty() {
        field("delmal", "Profilen måste ha minst ett delmål ([[delmal]]).".to_string());
    }
    if file.delmal.len() > MAX_SUBGOALS {
        field("delmal", format!("Högst {MAX_SUBGOALS} delmål stöds; filen har {}.", file.delmal.len()));
    }
    let mut subgoals = Vec::new();
    for (i, g) in file.delmal.iter().enumerate() {
        let expected = i + 1;
        let name = format!("delmal[{expected}]");
        if g.nummer != expected as i64 {
            field(
                &format!("{name}.nummer"),
                format!(
                    "Delmålen ska numreras 1, 2, 3 … i ordning; delmål nummer {expected} har nummer {}.",
                    g.nummer
                ),
            );
        }
        if g.namn.trim().is_empty() {
            field(&format!("{name}.namn"), format!("Delmål {expected} saknar namn."));
        }
        // The final full stop is the sentence's ("Vi arbetar för …."), so it is dropped; what
        // remains must say something.
        let statement = g.pastaende.trim().trim_end_matches('.').trim_end().to_string();
        if statement.is_empty() {
            field(
                &format!("{name}.pastaende"),
                format!("Delmål {expected} saknar påstående (fortsättningen av \"Vi arbetar för …\")."),
            );
        }
        subgoals.push(SubGoal {
            number: expected.min(u8::MAX as usize) as u8,
            name: g.namn.trim().to_string(),
            statement,
        });
    }
    let mut sources: Vec<ProfileSource> = Vec::new();
    for (i, s) in file.kalla.iter().enumerate() {
        let name = format!("kalla[{}]", i + 1);
        let key = s.nyckel.trim();
        if !SOURCE_KEYS.iter().any(|(k, _)| *k == key) {
            let known: Vec<String> = SOURCE_KEYS.iter().map(|(k, _)| k.to_string()).collect();
            field(
                &format!("{name}.nyckel"),
                format!("Okänd källnyckel \"{key}\". Giltiga nycklar: {}.", crate::format::join_sv(&known)),
            );
        } else if sources.iter().any(|x| x.key == key) {
            field(&format!("{name}.nyckel"), format!("Källan \"{key}\" finns redan i profilen."));
        }
        if s.titel.trim().is_empty() {
            field(
                &format!("{name}.titel"),
                "Ange källans titel som den ska skrivas i rapporten.".to_string(),
            );
        }
        check_url(&mut field, &format!("{name}.adress"), &s.adress);
        sources.push(ProfileSource {
            key: key.to_string(),
            title: s.titel.trim().to_string(),
            url: s.adress.trim().to_string(),
        });
    }
    let survey_links = file.kommunenkat_koppling.map(|links| {
        let mut out: Vec<crate::kommunenkat::SurveyLink> = Vec::new();
        for (i, l) in links.iter().enumerate() {
            let name = format!("kommunenkat_koppling[{}]", i + 1);
            let number = u8::try_from(l.delmal)
                .ok()
                .filter(|n| usize::from(*n) >= 1 && usize::from(*n) <= subgoals.len());
            let Some(number) = number else {
                field(
                    &format!("{name}.delmal"),
                    format!("Delmål {} finns inte i profilen (1–{}).", l.delmal, subgoals.len()),
                );
                continue;
            };
            if out.iter().any(|x| x.subgoal == number) {
                field(&format!("{name}.delmal"), format!("Delmål {number} är redan kopplat ovan."));
            }
            let mut areas = Vec::new();
            for code in &l.omraden {
                match crate::kommunenkat::Area::from_code(code) {
                    Some(a) if !areas.contains(&a) => areas.push(a),
                    Some(_) => {}
                    None => {
                        let known: Vec<String> =
                            crate::kommunenkat::Area::ALL.iter().map(|a| a.code().to_string()).collect();
                        field(
                            &format!("{name}.omraden"),
                            format!("Okänt område \"{code}\". Giltiga: {}.", known.join(", ")),
                        );
                    }
                }
            }
            let mut headings = Vec::new();
            for code in &l.rubriker {
                match crate::kommunenkat::Heading::from_code(code) {
                    Some(h) if !headings.contains(&h) => headings.push(h),
                    Some(_) => {}
                    None => {
                        let known: Vec<String> =
                            crate::kommunenkat::Heading::ALL.iter().map(|h| h.code().to_string()).collect();
                        field(
                            &format!("{name}.rubriker"),
                            format!("Okänd rubrik \"{code}\". Giltiga: {}.", known.join(", ")),
                        );
                    }
                }
            }
            out.push(crate::kommunenkat::SurveyLink { subgoal: number, areas, headings });
        }
        out.sort_by_key(|l| l.subgoal);
        out
    });
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    Ok(CountyProfile {
        county,
        support_unit,
        vision,
        report_title,
        infographic,
        subgoals,
        sources,
        survey_links,
    })
}

fn check_url(field: &mut impl FnMut(&str, String), name: &str, url: &str) {
    let url = url.trim();
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        field(name, format!("Adressen \"{url}\" ska börja med https:// (eller http://)."));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_profile_parses_and_round_trips() {
        let p = CountyProfile::builtin();
        assert_eq!(p.county, "Dalarna");
        assert_eq!(p.support_unit, "RSS Dalarna");
        assert_eq!(p.subgoals.len(), 5);
        assert_eq!(p.subgoals[3].name, "Nära mellan oss");
        assert_eq!(p.report_title(2024), "Årsrapport 2024 – God och nära vård i Dalarna");
        assert!(p.source("strategi").is_some_and(|s| s.url.starts_with("https://")));
        assert_eq!(parse_toml(&p.to_toml()), Ok(p));
    }

    const OTHER: &str = r#"
lan = "Värmland"
stodenhet = "Regional stödstruktur Värmland"
vision = "Nära – hela vägen"

[[delmal]]
nummer = 1
namn = "Nära mig"
pastaende = "att varje invånare möts med respekt."

[[delmal]]
nummer = 2
namn = "Nära varandra"
pastaende = "samverkan \"utan prestige\""
"#;

    #[test]
    fn a_profile_without_infographic_or_sources_is_valid() {
        let p = parse_toml(OTHER).unwrap();
        assert_eq!(p.infographic, None);
        assert!(p.sources.is_empty());
        assert_eq!(p.subgoals.len(), 2);
        // A trailing full stop would double the one in "Vi arbetar för …."
        assert_eq!(
            p.subgoals[0].self_assessment_sentence(),
            "Vi arbetar för att varje invånare möts med respekt."
        );
        assert_eq!(p.report_title(2030), "Årsrapport 2030 – God och nära vård i Värmland");
        assert_eq!(parse_toml(&p.to_toml()), Ok(p));
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let text = r#"
lan = ""
stodenhet = "RSS"
vision = "V"
rapporttitel = "Rapport {lan}"

[[delmal]]
nummer = 1
namn = "A"
pastaende = "a"

[[delmal]]
nummer = 3
namn = ""
pastaende = "c"

[[kalla]]
nyckel = "strategin"
titel = "S"
adress = "www.example.se"
"#;
        let errs = parse_toml(text).unwrap_err().lines().join("\n");
        for expected in [
            "fält lan",
            "fält rapporttitel: Titeln måste innehålla {år}",
            "fält delmal[2].nummer: Delmålen ska numreras 1, 2, 3 … i ordning; delmål nummer 2 har nummer 3.",
            "fält delmal[2].namn",
            "fält kalla[1].nyckel: Okänd källnyckel \"strategin\". Giltiga nycklar: strategi, sjalvskattning, metodstod och polsam.",
            "fält kalla[1].adress",
        ] {
            assert!(errs.contains(expected), "{expected} in:\n{errs}");
        }
    }

    #[test]
    fn toml_syntax_errors_name_the_row_and_unknown_fields_are_refused() {
        let errs = parse_toml("lan = \"X\"\nstodenhet = \"Y\"\nvision = \n").unwrap_err().lines().join("\n");
        assert!(errs.contains("rad 3"), "{errs}");
        let errs = parse_toml(&format!(
            "{OTHER}\n[[delmal]]\nnummer = 3\nnamn = \"C\"\npastaende = \"c\"\nfarg = \"röd\"\n"
        ))
        .unwrap_err()
        .lines()
        .join("\n");
        assert!(errs.contains("farg"), "{errs}");
    }

    #[test]
    fn a_statement_of_only_full_stops_is_missing() {
        // Found by the fuzz target `lansprofil_toml`: "." passed the check and became empty.
        let text =
            OTHER.replace("pastaende = \"att varje invånare möts med respekt.\"", "pastaende = \" . \"");
        let errs = parse_toml(&text).unwrap_err().lines().join("\n");
        assert!(errs.contains("fält delmal[1].pastaende: Delmål 1 saknar påstående"), "{errs}");
    }

    #[test]
    fn too_many_subgoals_are_refused() {
        let mut text = String::from("lan = \"X\"\nstodenhet = \"Y\"\nvision = \"Z\"\n");
        for n in 1..=10 {
            text.push_str(&format!("[[delmal]]\nnummer = {n}\nnamn = \"D{n}\"\npastaende = \"p\"\n"));
        }
        let errs = parse_toml(&text).unwrap_err().lines().join("\n");
        assert!(errs.contains("Högst 9 delmål stöds; filen har 10."), "{errs}");
    }

    #[test]
    fn strings_with_quotes_backslashes_and_newlines_survive_export() {
        let mut p = CountyProfile::builtin();
        p.vision = "Rad 1\nRad \"2\" \\ slut\t.".to_string();
        assert_eq!(parse_toml(&p.to_toml()).unwrap().vision, p.vision);
    }

    #[test]
    fn the_survey_mapping_defaults_for_the_builtin_subgoals_and_is_configurable() {
        use crate::kommunenkat::{default_links, Area, Heading};
        // The built-in profile has no section: the documented default applies.
        let p = CountyProfile::builtin();
        assert_eq!(p.survey_links, None);
        assert_eq!(p.survey_links(), default_links());
        // Other sub-goals without a section: no mapping (the default is written for the built-in ones).
        assert!(parse_toml(OTHER).unwrap().survey_links().is_empty());
        // A section sets it; it survives export.
        let text = format!(
            "{OTHER}\n[[kommunenkat_koppling]]\ndelmal = 1\nomraden = [\"sip\", \"mobila-team\"]\nrubriker = [\"medarbetare\"]\n"
        );
        let p = parse_toml(&text).unwrap();
        let links = p.survey_links();
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].areas, vec![Area::Sip, Area::MobilaTeam]);
        assert_eq!(links[0].headings, vec![Heading::Medarbetare]);
        assert_eq!(parse_toml(&p.to_toml()).unwrap(), p);
        // An empty list switches the analysis off, also for the built-in sub-goals.
        let off = BUILTIN_TOML.replacen("\n[infografik]", "kommunenkat_koppling = []\n\n[infografik]", 1);
        let p = parse_toml(&off).unwrap();
        assert!(p.survey_links().is_empty());
        assert_eq!(parse_toml(&p.to_toml()).unwrap(), p);
    }

    #[test]
    fn a_survey_mapping_with_unknown_codes_or_subgoals_is_refused_with_its_field() {
        let text = format!(
            "{OTHER}\n[[kommunenkat_koppling]]\ndelmal = 9\n\n[[kommunenkat_koppling]]\ndelmal = 1\nomraden = [\"robotar\"]\nrubriker = [\"ovrigt\"]\n"
        );
        let errs = parse_toml(&text).unwrap_err().lines().join("\n");
        assert!(
            errs.contains("fält kommunenkat_koppling[1].delmal: Delmål 9 finns inte i profilen"),
            "{errs}"
        );
        assert!(errs.contains("fält kommunenkat_koppling[2].omraden: Okänt område \"robotar\""), "{errs}");
        assert!(errs.contains("fält kommunenkat_koppling[2].rubriker: Okänd rubrik \"ovrigt\""), "{errs}");
    }
}
