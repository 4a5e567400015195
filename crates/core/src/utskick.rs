//! The January mailing (utskick): which contact function receives which part of the reporting
//! round, and the cover letter written as a template with placeholders.
//!
//! Pure: the web adapter fills [`LetterValues`] per recipient (with the personal link) and sends
//! what [`Letter::render`] returns.

use crate::error::{InputError, InputErrors, Location, ValueError};
use crate::kontakter::Function;
use crate::rapportering::Part;
use std::collections::BTreeMap;

/// The placeholders a letter may use, with what they stand for (shown beside the editor).
pub const PLACEHOLDERS: [(&str, &str); 6] = [
    ("{namn}", "mottagarens namn"),
    ("{organisation}", "organisationen som svarar (kommun eller lokal systemledning)"),
    ("{del}", "delen av omgången, t.ex. självskattning"),
    ("{år}", "året rapporteringen avser"),
    ("{frist}", "sista svarsdag, t.ex. 13 februari 2026"),
    ("{länk}", "den personliga svarslänken"),
];

/// Which function receives each part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping(pub BTreeMap<Part, Function>);

impl Default for Mapping {
    /// Self-assessment and mapping → LSL chairs; kommunenkät → social-services chiefs;
    /// ekonomi → finance chiefs (DOMAIN §4).
    fn default() -> Self {
        Mapping(BTreeMap::from([
            (Part::Sjalvskattning, Function::OrdforandeLsl),
            (Part::Kartlaggning, Function::OrdforandeLsl),
            (Part::Kommunenkat, Function::Socialchef),
            (Part::Ekonomi, Function::Ekonomichef),
        ]))
    }
}

impl Mapping {
    /// The function receiving `part` (the default's when not set).
    pub fn function_for(&self, part: Part) -> Function {
        self.0.get(&part).copied().unwrap_or_else(|| Mapping::default().0[&part])
    }

    /// Stored form: `sjalvskattning=ordforande_lsl;kartlaggning=…`.
    pub fn to_text(&self) -> String {
        Part::ALL
            .iter()
            .map(|p| format!("{}={}", p.code(), self.function_for(*p).code()))
            .collect::<Vec<_>>()
            .join(";")
    }

    /// Reads the stored form; unknown or missing entries fall back to the default.
    pub fn from_text(text: &str) -> Mapping {
        let mut m = Mapping::default();
        for pair in text.split(';') {
            if let Some((p, f)) = pair.split_once('=') {
                if let (Some(p), Some(f)) = (Part::parse(p), Function::parse(f)) {
                    m.0.insert(p, f);
                }
            }
        }
        m
    }
}

/// A cover letter: subject and body with placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub body: String,
}

/// What one recipient's letter is filled with.
#[derive(Debug, Clone)]
pub struct LetterValues<'a> {
    pub name: &'a str,
    pub organisation: &'a str,
    pub part: Part,
    pub year: i32,
    /// Long Swedish date.
    pub deadline: &'a str,
    pub link: &'a str,
}

impl Letter {
    /// The standard letter of a county: `county` in running text ("i Dalarna"), signed by the
    /// support unit (both from the county profile).
    pub fn standard(county: &str, support_unit: &str) -> Self {
        Letter {
            subject: "Rapportering {år}: {del} för {organisation}".to_string(),
            body: "Hej {namn}!\n\n\
                   Nu är det dags för den årliga uppföljningen av omställningen till God och nära vård i {county}. \
                   Vi ber dig som kontaktperson för {organisation} att besvara {del} för {år}.\n\n\
                   Sista svarsdag är {frist}.\n\n\
                   Svara här: {länk}\n\n\
                   Du kan spara ett utkast och fortsätta senare med samma länk. Länken är personlig – dela den inte. \
                   Om någon annan ska svara, hör av dig till oss så skickar vi en ny länk.\n\n\
                   Med vänliga hälsningar\n{support_unit}\n"
                .replace("{county}", county)
                .replace("{support_unit}", support_unit),
        }
    }
}

/// The `{…}` names used in `text`, or the error of an unclosed brace.
fn placeholders_in(text: &str) -> Result<Vec<String>, ValueError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else {
            return Err(ValueError("En klammerparentes \"{\" stängs inte med \"}\".".into()));
        };
        out.push(format!("{{{}}}", &after[..j]));
        rest = &after[j + 1..];
    }
    Ok(out)
}

impl Letter {
    /// Validates an edited letter: both parts given, only known placeholders, the body carries
    /// `{länk}` (without it nobody could answer).
    pub fn parse(subject: &str, body: &str) -> Result<Letter, InputErrors> {
        let mut errors = Vec::new();
        let known: Vec<&str> = PLACEHOLDERS.iter().map(|(p, _)| *p).collect();
        for (field, text, max) in [("ämne", subject, 300), ("brevtext", body, 20_000)] {
            if text.trim().is_empty() {
                errors.push(InputError::new(Location::field(field), "Fältet får inte vara tomt."));
                continue;
            }
            if text.chars().count() > max {
                errors.push(InputError::new(Location::field(field), format!("Högst {max} tecken.")));
            }
            match placeholders_in(text) {
                Ok(used) => {
                    for p in used.iter().filter(|p| !known.contains(&p.as_str())) {
                        errors.push(InputError::new(
                            Location::field(field),
                            format!(
                                "Okänd platshållare {p}; använd {}.",
                                crate::format::join_sv(
                                    &known.iter().map(|k| k.to_string()).collect::<Vec<_>>()
                                )
                                .replace(" och ", " eller ")
                            ),
                        ));
                    }
                }
                Err(m) => errors.push(InputError::new(Location::field(field), m)),
            }
        }
        if !body.contains("{länk}") && !body.trim().is_empty() {
            errors.push(InputError::new(
                Location::field("brevtext"),
                "Brevet måste innehålla {länk}, annars får mottagaren ingen svarslänk.",
            ));
        }
        if subject.contains('\n') || subject.contains('\r') {
            errors.push(InputError::new(Location::field("ämne"), "Ämnesraden ska vara en rad."));
        }
        if errors.is_empty() {
            Ok(Letter { subject: subject.trim().to_string(), body: body.replace("\r\n", "\n") })
        } else {
            Err(InputErrors(errors))
        }
    }

    /// The letter for one recipient: (subject, body).
    pub fn render(&self, v: &LetterValues<'_>) -> (String, String) {
        let fill = |t: &str| {
            t.replace("{namn}", v.name)
                .replace("{organisation}", v.organisation)
                .replace("{del}", v.part.label_in_text())
                .replace("{år}", &v.year.to_string())
                .replace("{frist}", v.deadline)
                .replace("{länk}", v.link)
        };
        (fill(&self.subject), fill(&self.body))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_mapping_sends_each_part_to_its_function_and_round_trips() {
        let m = Mapping::default();
        assert_eq!(m.function_for(Part::Sjalvskattning), Function::OrdforandeLsl);
        assert_eq!(m.function_for(Part::Kartlaggning), Function::OrdforandeLsl);
        assert_eq!(m.function_for(Part::Kommunenkat), Function::Socialchef);
        assert_eq!(m.function_for(Part::Ekonomi), Function::Ekonomichef);
        assert_eq!(Mapping::from_text(&m.to_text()), m);
        let changed = Mapping::from_text("kommunenkat=kontaktperson;nonsens;ekonomi=okand");
        assert_eq!(changed.function_for(Part::Kommunenkat), Function::Kontaktperson);
        assert_eq!(changed.function_for(Part::Ekonomi), Function::Ekonomichef);
    }

    #[test]
    fn a_letter_is_filled_per_recipient() {
        let l = Letter::standard("Dalarna", "RSS Dalarna");
        let (subject, body) = l.render(&LetterValues {
            name: "Karin Ek",
            organisation: "Mora",
            part: Part::Kommunenkat,
            year: 2026,
            deadline: "13 februari 2026",
            link: "https://gnv.example.se/svar/abc",
        });
        assert_eq!(subject, "Rapportering 2026: kommunenkät till Socialstyrelsen för Mora");
        assert!(body.starts_with("Hej Karin Ek!"));
        assert!(body.contains("Sista svarsdag är 13 februari 2026."));
        assert!(body.contains("Svara här: https://gnv.example.se/svar/abc"));
        assert!(!body.contains('{'));
    }

    #[test]
    fn unknown_placeholders_and_a_letter_without_link_are_refused() {
        let err = Letter::parse("Hej {mottagare}", "Svara senast {frist}.").unwrap_err();
        let lines = err.lines();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("fält ämne: Okänd platshållare {mottagare}; använd {namn}, "),
            "{lines:?}"
        );
        assert_eq!(
            lines[1],
            "fält brevtext: Brevet måste innehålla {länk}, annars får mottagaren ingen svarslänk."
        );
        assert!(Letter::parse("Ämne", "Länk: {länk").is_err());
        assert!(Letter::parse("", "{länk}").is_err());
        assert_eq!(Letter::parse(" Ämne ", "Länk: {länk}\r\n").unwrap().body, "Länk: {länk}\n");
    }
}
