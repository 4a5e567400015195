//! One municipality's survey answer, parsed from raw form fields, and the validated set of all
//! answers of one year.

use super::areas::{Area, Heading, OTHER_CODE, OTHER_LABEL};
use crate::ekonomi::YEAR_RANGE;
use crate::error::{InputError, InputErrors, Location};
use crate::organisation::Registry;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Longest accepted free text, in characters (about four pages).
pub const MAX_TEXT_CHARS: usize = 10_000;

/// A trimmed, non-empty text of at most [`MAX_TEXT_CHARS`] characters. A blank answer is
/// represented by the absence of a `Text`, never by an empty one.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(try_from = "String", into = "String")]
pub struct Text(String);

impl Text {
    /// `Ok(None)` for blank input, `Ok(Some)` for a trimmed text, `Err` when too long.
    pub fn parse(input: &str) -> Result<Option<Text>, TextError> {
        let t = input.trim();
        if t.is_empty() {
            return Ok(None);
        }
        let n = t.chars().count();
        if n > MAX_TEXT_CHARS {
            return Err(TextError::TooLong { chars: n });
        }
        Ok(Some(Text(t.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Text {
    type Error = TextError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Text::parse(&value)?.ok_or(TextError::Empty)
    }
}

/// A free text that was refused; `Display` is the Swedish message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error(
        "Texten är för lång ({} tecken). Högst {} tecken är tillåtet.",
        crate::format::integer(*chars as i64),
        crate::format::integer(MAX_TEXT_CHARS as i64)
    )]
    TooLong { chars: usize },
    #[error("Texten är tom.")]
    Empty,
}

crate::error::message_into_string!(TextError);

impl From<Text> for String {
    fn from(t: Text) -> String {
        t.0
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One municipality's answer to the survey for one year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MunicipalAnswer {
    /// SCB/Kolada municipality code.
    pub municipality_code: String,
    pub year: i32,
    /// Areas and ways of working ticked as initiated or strengthened.
    pub areas: BTreeSet<Area>,
    /// "Annat, nämligen …": present exactly when the municipality ticked "other".
    pub other: Option<Text>,
    /// Free text per heading; headings left blank are absent.
    pub free_text: BTreeMap<Heading, Text>,
}

/// Form field names used by [`parse_form`].
pub mod fields {
    /// Municipality code.
    pub const MUNICIPALITY: &str = "kommun";
    /// Year.
    pub const YEAR: &str = "ar";
    /// A ticked area (repeated); value is an area code or `"annat"`.
    pub const AREA: &str = "omrade";
    /// The text of "Annat, nämligen …".
    pub const OTHER: &str = "annat";
}

/// Parses a submitted form into an answer.
///
/// Fields: `kommun` (municipality code), `ar` (year), `omrade` (repeated; an [`Area::code`] or
/// `annat`), `annat` (text of "Annat, nämligen …") and one `fritext_<heading code>` per heading
/// ([`Heading::field_name`]). Other field names (e.g. a CSRF token) are ignored.
///
/// Rules: the municipality must be in the registry; the year within [`YEAR_RANGE`]; an unknown
/// area code is an error; ticking "annat" requires its text; a text written under "annat"
/// without ticking it counts as ticked (the intent is unambiguous); blank free texts are absent.
/// All errors are returned together, each naming its field.
pub fn parse_form(registry: &Registry, form: &[(String, String)]) -> Result<MunicipalAnswer, InputErrors> {
    let mut errors = Vec::new();
    let single = |name: &str, errors: &mut Vec<InputError>| -> Option<String> {
        let values: Vec<&String> = form.iter().filter(|(k, _)| k == name).map(|(_, v)| v).collect();
        if values.len() > 1 {
            errors.push(InputError::new(Location::field(name), "Fältet finns mer än en gång i formuläret."));
        }
        values.first().map(|v| v.trim().to_string())
    };

    let code = single(fields::MUNICIPALITY, &mut errors).unwrap_or_default();
    let municipality = if code.is_empty() {
        errors.push(InputError::new(Location::field(fields::MUNICIPALITY), "Välj kommun."));
        None
    } else if registry.municipalities.iter().any(|m| m.code == code) {
        Some(code)
    } else {
        errors.push(InputError::new(
            Location::field(fields::MUNICIPALITY),
            format!("Kommunkoden \"{code}\" finns inte bland kommunerna i {}.", registry.county_name),
        ));
        None
    };

    let year_text = single(fields::YEAR, &mut errors).unwrap_or_default();
    let year = match year_text.parse::<i32>() {
        Ok(y) if YEAR_RANGE.contains(&y) => Some(y),
        _ if year_text.is_empty() => {
            errors.push(InputError::new(Location::field(fields::YEAR), "Året saknas."));
            None
        }
        _ => {
            errors.push(InputError::new(
                Location::field(fields::YEAR),
                format!(
                    "\"{year_text}\" är inte ett år mellan {} och {}.",
                    YEAR_RANGE.start(),
                    YEAR_RANGE.end()
                ),
            ));
            None
        }
    };

    let mut areas = BTreeSet::new();
    let mut other_ticked = false;
    for (_, value) in form.iter().filter(|(k, _)| k == fields::AREA) {
        let value = value.trim();
        if value.eq_ignore_ascii_case(OTHER_CODE) {
            other_ticked = true;
        } else if let Some(area) = Area::from_code(value) {
            areas.insert(area);
        } else if !value.is_empty() {
            errors.push(InputError::new(
                Location::field(fields::AREA),
                format!("\"{value}\" är inget av enkätens områden och arbetssätt."),
            ));
        }
    }

    let other_text = single(fields::OTHER, &mut errors).unwrap_or_default();
    let other = match Text::parse(&other_text) {
        Ok(t) => t,
        Err(msg) => {
            errors.push(InputError::new(Location::field(fields::OTHER), msg));
            None
        }
    };
    if other_ticked && other.is_none() && other_text.trim().is_empty() {
        errors.push(InputError::new(
            Location::field(fields::OTHER),
            format!("Du har kryssat i \"{OTHER_LABEL}\". Beskriv vilket område eller arbetssätt det gäller."),
        ));
    }

    let mut free_text = BTreeMap::new();
    for heading in Heading::ALL {
        let name = heading.field_name();
        let raw = single(&name, &mut errors).unwrap_or_default();
        match Text::parse(&raw) {
            Ok(Some(t)) => {
                free_text.insert(heading, t);
            }
            Ok(None) => {}
            Err(msg) => errors.push(InputError::new(Location::field(name), msg)),
        }
    }

    match (municipality, year) {
        (Some(municipality_code), Some(year)) if errors.is_empty() => {
            Ok(MunicipalAnswer { municipality_code, year, areas, other, free_text })
        }
        _ => Err(InputErrors(errors)),
    }
}

/// All answers of one year: at most one per municipality, every municipality in the registry.
/// Construct with [`AnswerSet::new`]; the compilation works on this type only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct AnswerSet {
    year: i32,
    /// Keyed by municipality code.
    answers: BTreeMap<String, MunicipalAnswer>,
}

impl AnswerSet {
    /// Validates the answers of `year`: each must be of that year, name a municipality of the
    /// registry and be the only answer of its municipality. All problems are reported together.
    pub fn new(
        registry: &Registry,
        year: i32,
        answers: Vec<MunicipalAnswer>,
    ) -> Result<AnswerSet, InputErrors> {
        let mut errors = Vec::new();
        let mut map = BTreeMap::new();
        for a in answers {
            let loc = Location::field(fields::MUNICIPALITY);
            let Some(m) = registry.municipalities.iter().find(|m| m.code == a.municipality_code) else {
                errors.push(InputError::new(
                    loc,
                    format!(
                        "Kommunkoden \"{}\" finns inte bland kommunerna i {}.",
                        a.municipality_code, registry.county_name
                    ),
                ));
                continue;
            };
            if a.year != year {
                errors.push(InputError::new(
                    loc,
                    format!("Svaret från {} gäller {}, inte {year}.", m.name, a.year),
                ));
                continue;
            }
            if map.contains_key(&a.municipality_code) {
                errors.push(InputError::new(loc, format!("{} har fler än ett svar för {year}.", m.name)));
                continue;
            }
            map.insert(a.municipality_code.clone(), a);
        }
        if errors.is_empty() {
            Ok(AnswerSet { year, answers: map })
        } else {
            Err(InputErrors(errors))
        }
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    /// The answer of a municipality, if it has answered.
    pub fn get(&self, municipality_code: &str) -> Option<&MunicipalAnswer> {
        self.answers.get(municipality_code)
    }

    /// All answers, by municipality code.
    pub fn iter(&self) -> impl Iterator<Item = &MunicipalAnswer> {
        self.answers.values()
    }

    /// Number of municipalities that answered.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}
