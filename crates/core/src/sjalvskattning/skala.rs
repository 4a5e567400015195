//! The answer scale of a round, the ratings on it, consolidated scores and the respondent's
//! perspective.
//!
//! A [`Rating`] is one respondent's whole-number answer and can only be made through
//! [`Scale::rating`], so a rating outside the round's scale cannot exist after parsing. A
//! [`Score`] is an LSL's consolidated value: the exact mean of its respondents' ratings, kept as a
//! reduced fraction so that 2,5 is exactly 5/2 and values can be grouped and ordered without
//! floating-point surprises.

use crate::error::{InputError, InputErrors, Location};
use crate::format;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// The highest value any scale may use.
pub const MAX_SCALE_VALUE: u8 = 10;

/// Labels of the default 1–5 scale (design decision, DOMAIN.md §6), lowest first.
pub const DEFAULT_LABELS: [&str; 5] =
    ["Stämmer inte alls", "Stämmer i liten grad", "Stämmer delvis", "Stämmer i stor grad", "Stämmer helt"];

/// Share of the scale's span below which a change of the mean is called "marginell": 5 %, which is
/// 0,2 on the default 1–5 scale (span 4).
pub const MARGINAL_SHARE_OF_SPAN: f64 = 0.05;

/// An ordinal answer scale with one Swedish label per whole step, configurable per round.
///
/// Invariants (checked by [`Scale::new`] and on deserialisation): `min < max <= 10` and exactly
/// one non-empty label per step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "ScaleSpec", into = "ScaleSpec")]
pub struct Scale {
    min: u8,
    max: u8,
    labels: Vec<String>,
}

/// Serialised form of a [`Scale`]: `{"min": 1, "max": 5, "labels": [...]}`.
#[derive(Serialize, Deserialize, schemars::JsonSchema)]
struct ScaleSpec {
    min: u8,
    max: u8,
    labels: Vec<String>,
}

impl TryFrom<ScaleSpec> for Scale {
    type Error = InputErrors;
    fn try_from(s: ScaleSpec) -> Result<Self, Self::Error> {
        Scale::new(s.min, s.max, s.labels)
    }
}

impl From<Scale> for ScaleSpec {
    fn from(s: Scale) -> Self {
        ScaleSpec { min: s.min, max: s.max, labels: s.labels }
    }
}

impl Default for Scale {
    /// The default scale 1–5, "Stämmer inte alls" … "Stämmer helt".
    fn default() -> Self {
        Scale { min: 1, max: 5, labels: DEFAULT_LABELS.iter().map(|l| l.to_string()).collect() }
    }
}

impl Scale {
    /// Builds a validated scale. Labels are trimmed; one label per whole step from `min` to `max`.
    pub fn new(min: u8, max: u8, labels: Vec<String>) -> Result<Scale, InputErrors> {
        let mut errors = Vec::new();
        if max > MAX_SCALE_VALUE {
            errors.push(InputError::new(
                Location::field("max"),
                format!("Skalan får som högst gå till {MAX_SCALE_VALUE}, inte {max}."),
            ));
        }
        if min >= max {
            errors.push(InputError::new(
                Location::field("min"),
                format!("Skalans lägsta värde ({min}) måste vara lägre än dess högsta ({max})."),
            ));
        }
        let labels: Vec<String> = labels.into_iter().map(|l| l.trim().to_string()).collect();
        if errors.is_empty() {
            let steps = usize::from(max - min) + 1;
            if labels.len() != steps {
                errors.push(InputError::new(
                    Location::field("etiketter"),
                    format!(
                        "Skalan {min}–{max} behöver {steps} etiketter, en per steg, men har {}.",
                        labels.len()
                    ),
                ));
            }
            for (i, label) in labels.iter().enumerate() {
                if label.is_empty() {
                    errors.push(InputError::new(
                        Location::field("etiketter"),
                        format!("Etiketten för värdet {} är tom.", usize::from(min) + i),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(Scale { min, max, labels })
        } else {
            Err(InputErrors(errors))
        }
    }

    /// Lowest whole step.
    pub fn min(&self) -> u8 {
        self.min
    }

    /// Highest whole step.
    pub fn max(&self) -> u8 {
        self.max
    }

    /// `max - min`, e.g. 4 for the 1–5 scale.
    pub fn span(&self) -> u8 {
        self.max - self.min
    }

    /// The labels, lowest step first.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// The label of a whole step, if it is on the scale.
    pub fn label(&self, value: u8) -> Option<&str> {
        if self.contains(value) {
            self.labels.get(usize::from(value - self.min)).map(String::as_str)
        } else {
            None
        }
    }

    /// Whether a whole value lies on the scale.
    pub fn contains(&self, value: u8) -> bool {
        (self.min..=self.max).contains(&value)
    }

    /// Whether a consolidated score lies within the scale's bounds.
    pub fn contains_score(&self, score: Score) -> bool {
        score >= Score::whole(self.min) && score <= Score::whole(self.max)
    }

    /// A rating on this scale, or `None` when `value` is outside it.
    pub fn rating(&self, value: u8) -> Option<Rating> {
        self.contains(value).then_some(Rating(value))
    }

    /// All whole steps, lowest first.
    pub fn steps(&self) -> impl Iterator<Item = u8> {
        self.min..=self.max
    }

    /// The range as Swedish text: `"1–5"`.
    pub fn range_text(&self) -> String {
        format!("{}–{}", self.min, self.max)
    }

    /// Threshold below which a change of a mean is "marginell" on this scale
    /// ([`MARGINAL_SHARE_OF_SPAN`] of the span; 0,2 on 1–5).
    pub fn marginal_threshold(&self) -> f64 {
        f64::from(self.span()) * MARGINAL_SHARE_OF_SPAN
    }
}

/// One respondent's whole-number rating. Only made by [`Scale::rating`] (or deserialised, limited
/// to 0–10 and re-checked against the round's scale by [`super::Round::new`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(try_from = "u8", into = "u8")]
pub struct Rating(u8);

impl Rating {
    /// The rated value.
    pub fn value(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Rating {
    type Error = ScoreError;
    fn try_from(v: u8) -> Result<Self, Self::Error> {
        if v <= MAX_SCALE_VALUE {
            Ok(Rating(v))
        } else {
            Err(ScoreError::OutsideAllScales { value: v })
        }
    }
}

/// A rating or consolidated value that was refused; `Display` is the Swedish message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("Värdet {value} ligger utanför alla tillåtna skalor (0–{}).", MAX_SCALE_VALUE)]
    OutsideAllScales { value: u8 },
    #[error("Värdet saknas.")]
    Missing,
    #[error("\"{0}\" är inte ett tal.")]
    NotANumber(String),
    #[error("\"{0}\" har fler än två decimaler.")]
    TooManyDecimals(String),
    #[error("\"{0}\" är för stort.")]
    TooLarge(String),
    #[error("\"{0}\" är för stort för en skala.")]
    TooLargeForAScale(String),
}

crate::error::message_into_string!(ScoreError);

impl From<Rating> for u8 {
    fn from(r: Rating) -> u8 {
        r.0
    }
}

/// An exact non-negative fraction: an LSL's consolidated value on the scale (e.g. 5/2 = 2,5).
/// Always kept reduced, so equality and ordering are exact. Serialises as a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Score {
    num: u32,
    den: u32,
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a
}

impl Score {
    fn reduced(num: u32, den: u32) -> Score {
        let g = gcd(num, den).max(1);
        Score { num: num / g, den: den / g }
    }

    /// A whole value.
    pub fn whole(v: u8) -> Score {
        Score { num: u32::from(v), den: 1 }
    }

    /// The exact mean of some ratings; `None` when there are none.
    pub fn mean_of(values: &[u8]) -> Option<Score> {
        if values.is_empty() {
            return None;
        }
        let sum: u32 = values.iter().map(|&v| u32::from(v)).sum();
        let n = u32::try_from(values.len()).ok()?;
        Some(Score::reduced(sum, n))
    }

    /// Parses an already consolidated value with at most two decimals and decimal comma or point:
    /// `"2,5"`, `"3"`, `"2.33"`. Negative values and more decimals are refused.
    pub fn parse(input: &str) -> Result<Score, ScoreError> {
        let original = input.trim();
        let s = original.replace(',', ".");
        if s.is_empty() {
            return Err(ScoreError::Missing);
        }
        let (int_part, frac_part) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s.as_str(), ""),
        };
        let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
        if !digits(int_part) || (!frac_part.is_empty() && !digits(frac_part)) || s.ends_with('.') {
            return Err(ScoreError::NotANumber(original.to_string()));
        }
        if frac_part.len() > 2 {
            return Err(ScoreError::TooManyDecimals(original.to_string()));
        }
        let int: u32 = int_part.parse().map_err(|_| ScoreError::TooLarge(original.to_string()))?;
        if int > u32::from(MAX_SCALE_VALUE) {
            return Err(ScoreError::TooLargeForAScale(original.to_string()));
        }
        let den = 10u32.pow(frac_part.len() as u32);
        let frac: u32 = if frac_part.is_empty() { 0 } else { frac_part.parse().unwrap_or(0) };
        Ok(Score::reduced(int * den + frac, den))
    }

    /// The value as a float, for arithmetic over LSLs.
    pub fn as_f64(self) -> f64 {
        f64::from(self.num) / f64::from(self.den)
    }

    /// Whether the score is a whole step (not a mean that fell between steps).
    pub fn is_whole(self) -> bool {
        self.den == 1
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        (u64::from(self.num) * u64::from(other.den)).cmp(&(u64::from(other.num) * u64::from(self.den)))
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Score {
    /// Swedish, as few decimals as needed (at most two): `2`, `2,5`, `2,67`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", format::number(self.as_f64(), 2))
    }
}

impl Serialize for Score {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

/// From which organisation's point of view a respondent answered (DOMAIN.md §6: respondents found
/// this unclear, so the form asks and records it).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Perspective {
    /// The municipality's perspective.
    Kommun,
    /// The region's perspective.
    Region,
    /// Both the municipality's and the region's.
    Bada,
}

impl Perspective {
    /// All perspectives in form order.
    pub const ALL: [Perspective; 3] = [Perspective::Kommun, Perspective::Region, Perspective::Bada];

    /// Code used in forms and files: `kommun`, `region`, `bada`.
    pub fn code(self) -> &'static str {
        match self {
            Perspective::Kommun => "kommun",
            Perspective::Region => "region",
            Perspective::Bada => "bada",
        }
    }

    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            Perspective::Kommun => "Kommunens perspektiv",
            Perspective::Region => "Regionens perspektiv",
            Perspective::Bada => "Både kommunens och regionens perspektiv",
        }
    }

    /// Parses a code or a Swedish word: `kommun`, `region`, `båda`/`bada`/`både`.
    pub fn parse(input: &str) -> Option<Perspective> {
        match input.trim().to_lowercase().as_str() {
            "kommun" | "kommunen" | "kommunens perspektiv" => Some(Perspective::Kommun),
            "region" | "regionen" | "regionens perspektiv" => Some(Perspective::Region),
            "bada" | "båda" | "både" | "bade" | "kommun och region" => Some(Perspective::Bada),
            other if other == Perspective::Bada.label().to_lowercase() => Some(Perspective::Bada),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scale_is_one_to_five_with_swedish_labels() {
        let s = Scale::default();
        assert_eq!(s.range_text(), "1–5");
        assert_eq!(s.label(1), Some("Stämmer inte alls"));
        assert_eq!(s.label(5), Some("Stämmer helt"));
        assert_eq!(s.label(6), None);
        assert!(s.rating(0).is_none());
        assert_eq!(s.rating(3).map(Rating::value), Some(3));
        assert!((s.marginal_threshold() - 0.2).abs() < 1e-12);
    }

    #[test]
    fn invalid_scales_are_refused_in_swedish() {
        let e = Scale::new(5, 3, vec![]).unwrap_err().to_string();
        assert!(e.contains("Skalans lägsta värde (5) måste vara lägre än dess högsta (3)."), "{e}");
        let e = Scale::new(1, 4, vec!["a".into(), "b".into()]).unwrap_err().to_string();
        assert!(e.contains("Skalan 1–4 behöver 4 etiketter"), "{e}");
        let e = Scale::new(1, 2, vec!["a".into(), " ".into()]).unwrap_err().to_string();
        assert!(e.contains("Etiketten för värdet 2 är tom."), "{e}");
        assert!(Scale::new(0, 11, vec![]).is_err());
        let json = r#"{"min":1,"max":3,"labels":["Nej","Delvis","Ja"]}"#;
        let s: Scale = serde_json::from_str(json).unwrap();
        assert_eq!(s.label(2), Some("Delvis"));
        assert!(serde_json::from_str::<Scale>(r#"{"min":3,"max":1,"labels":[]}"#).is_err());
    }

    #[test]
    fn scores_are_exact_fractions() {
        assert_eq!(Score::mean_of(&[2, 3]), Some(Score::parse("2,5").unwrap()));
        assert_eq!(Score::mean_of(&[2, 3]).unwrap().as_f64(), 2.5);
        assert_eq!(Score::mean_of(&[]), None);
        assert_eq!(Score::mean_of(&[4, 4]), Some(Score::whole(4)));
        assert!(Score::whole(4).is_whole());
        assert_eq!(Score::mean_of(&[2, 3, 3]).unwrap().to_string(), "2,67");
        assert_eq!(Score::parse("3.50").unwrap().to_string(), "3,5");
        assert_eq!(Score::parse("2,555"), Err(ScoreError::TooManyDecimals("2,555".into())));
        assert_eq!(Score::parse("2,555").unwrap_err().to_string(), "\"2,555\" har fler än två decimaler.");
        assert!(Score::parse("-1").is_err());
        assert!(Score::parse("abc").is_err());
        assert!(Score::parse("2,").is_err());
        assert!(Score::whole(2) < Score::parse("2,5").unwrap());
        assert_eq!(serde_json::to_string(&Score::parse("2,5").unwrap()).unwrap(), "2.5");
    }

    #[test]
    fn perspectives_parse_swedish_words() {
        assert_eq!(Perspective::parse("Båda"), Some(Perspective::Bada));
        assert_eq!(Perspective::parse("kommun"), Some(Perspective::Kommun));
        assert_eq!(Perspective::parse(" Region "), Some(Perspective::Region));
        assert_eq!(Perspective::parse("landsting"), None);
        assert_eq!(Perspective::Bada.label(), "Både kommunens och regionens perspektiv");
    }
}
