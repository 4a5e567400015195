//! The questionnaire engine: versioned form definitions in TOML and validation of submitted form
//! fields into typed values.
//!
//! # Definition format (TOML)
//!
//! ```toml
//! id = "sjalvskattning"        # stable form id (usually the part's code)
//! version = 1                  # integer; a changed form gets a higher version
//! del = "sjalvskattning"       # the round part (sjalvskattning, kartlaggning, kommunenkat, ekonomi)
//! titel = "Självskattning"
//! ingress = "Text shown above the form."
//!
//! [skala]                      # default scale for `skala` questions (optional)
//! min = 1
//! max = 5
//! etiketter = ["Stämmer inte alls", "Stämmer i liten grad", "Stämmer delvis", "Stämmer i stor grad", "Stämmer helt"]
//!
//! [[grupp]]                    # a group of questions, shown as a fieldset
//! id = "delmal1"
//! rubrik = "Delmål 1"
//! delmal = 1                   # optional: the group belongs to a sub-goal (its statement is shown)
//! # per_delmal = true          # instead of `delmal`: the group is repeated for each sub-goal of
//!                              # the county profile; `{n}` (number) and `{namn}` (name) in the
//!                              # group's id, rubrik, beskrivning and its questions' id, text,
//!                              # hjalp and annat_falt are replaced ([`FormDefinition::with_subgoals`])
//! beskrivning = "..."          # optional
//!
//! [[grupp.fraga]]
//! id = "delmal1"               # the form field name; unique in the form
//! typ = "skala"                # skala | ja_nej | enval | flerval | tal | belopp | kort_text | lang_text
//! text = "Hur väl stämmer påståendet?"
//! hjalp = "..."                # optional help text
//! obligatorisk = true          # required when submitting (drafts may be incomplete); default false
//! alternativ = [{ kod = "kommun", etikett = "Kommunens perspektiv" }]   # enval/flerval
//! annat = true                 # enval/flerval: adds "Annat, nämligen" with a text field
//! annat_falt = "saknad_annan"  # name of that text field (default "<id>_annat")
//! min = 0                      # tal: optional bounds
//! max = 100
//! heltal = true                # tal: whole numbers only
//! max_langd = 4000             # kort_text/lang_text: max characters (default 200 / 4000)
//! per_kommun = true            # repeat the question for each member municipality of the
//!                              # answering organisation: fields "<id>_<kommunkod>"
//! villkor = { fraga = "brukarinflytande", varde = "ja" }   # only asked (and only required)
//!                              # when the other question's answer is `varde`
//! ```
//!
//! Values: `skala` → whole step on the scale; `ja_nej` → `ja`/`nej`; `enval` → one option code;
//! `flerval` → repeated field with option codes; `tal` → Swedish decimal (`2,5`); `belopp` →
//! whole kronor (`1 894 630`, `1894630 kr`); texts are trimmed.
//!
//! Validation ([`FormDefinition::validate`]) reports every problem at once, each naming its field
//! with a Swedish message; in [`Mode::Draft`] required answers may be missing but whatever is
//! given must still be valid. Answers to questions whose condition does not hold are dropped.

use crate::error::{InputError, InputErrors, Location};
use crate::format;
use crate::sjalvskattning::Scale;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The standard self-assessment form (version 1).
pub const SJALVSKATTNING_TOML: &str = include_str!("../../forms/sjalvskattning.toml");
/// The standard mapping form (version 1).
pub const KARTLAGGNING_TOML: &str = include_str!("../../forms/kartlaggning.toml");
/// The standard mapping form, version 2: version 1 plus a user representative in the LSL
/// (`brukarrepresentant`) and systematic collaboration with POLSAM (`polsam_systematisk`).
pub const KARTLAGGNING_V2_TOML: &str = include_str!("../../forms/kartlaggning-v2.toml");

/// Every shipped standard form text, (part, version, TOML), oldest version first; storage
/// installs the missing ones so that new rounds get the newest and old rounds keep theirs.
pub const STANDARD_FORMS: [(super::Part, u32, &str); 3] = [
    (super::Part::Sjalvskattning, 1, SJALVSKATTNING_TOML),
    (super::Part::Kartlaggning, 1, KARTLAGGNING_TOML),
    (super::Part::Kartlaggning, 2, KARTLAGGNING_V2_TOML),
];

/// The shipped standard form of a part, if there is one in this module (the municipal survey and
/// the financial report have their own forms), as answered with the built-in profile's sub-goals.
pub fn standard_form(part: super::Part) -> Option<FormDefinition> {
    let text = match part {
        super::Part::Sjalvskattning => SJALVSKATTNING_TOML,
        super::Part::Kartlaggning => KARTLAGGNING_TOML,
        _ => return None,
    };
    FormDefinition::parse(text).ok().map(|d| d.with_subgoals(&crate::delmal::default_subgoals()))
}

/// Question types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// Ordinal scale with labels.
    Skala,
    /// Yes/no.
    JaNej,
    /// Single choice.
    Enval,
    /// Multiple choice.
    Flerval,
    /// Number.
    Tal,
    /// Amount in whole kronor.
    Belopp,
    /// Short text (one line).
    KortText,
    /// Long text.
    LangText,
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Code sent by the form.
    pub kod: String,
    /// Swedish label.
    pub etikett: String,
}

/// A condition: the question is asked only when question `fraga` was answered `varde`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Id of the other question.
    pub fraga: String,
    /// The answer (code, `ja`/`nej`) that activates this question.
    pub varde: String,
}

/// Scale specification in a definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScaleSpec {
    /// Lowest step.
    pub min: u8,
    /// Highest step.
    pub max: u8,
    /// One label per step.
    pub etiketter: Vec<String>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Field name, unique in the form.
    pub id: String,
    /// Type.
    pub typ: QuestionType,
    /// Question text.
    pub text: String,
    /// Help text.
    #[serde(default)]
    pub hjalp: String,
    /// Required on submission.
    #[serde(default)]
    pub obligatorisk: bool,
    /// Options of a choice question.
    #[serde(default)]
    pub alternativ: Vec<Choice>,
    /// Adds "Annat, nämligen".
    #[serde(default)]
    pub annat: bool,
    /// Field of the "annat" text.
    #[serde(default)]
    pub annat_falt: Option<String>,
    /// Own scale (else the form's).
    #[serde(default)]
    pub skala: Option<ScaleSpec>,
    /// Bounds of a number.
    #[serde(default)]
    pub min: Option<f64>,
    /// Bounds of a number.
    #[serde(default)]
    pub max: Option<f64>,
    /// Whole numbers only.
    #[serde(default)]
    pub heltal: bool,
    /// Max characters of a text.
    #[serde(default)]
    pub max_langd: Option<usize>,
    /// Repeat per member municipality.
    #[serde(default)]
    pub per_kommun: bool,
    /// Condition.
    #[serde(default)]
    pub villkor: Option<Condition>,
}

/// Code of the automatic "annat, nämligen" option.
pub const OTHER_CODE: &str = "annat";

impl Question {
    /// Field name of the "annat, nämligen" text.
    pub fn other_field(&self) -> String {
        self.annat_falt.clone().unwrap_or_else(|| format!("{}_annat", self.id))
    }

    /// Options including the automatic "Annat, nämligen".
    pub fn options(&self) -> Vec<Choice> {
        let mut o = self.alternativ.clone();
        if self.annat && !o.iter().any(|c| c.kod == OTHER_CODE) {
            o.push(Choice { kod: OTHER_CODE.into(), etikett: "Annat, nämligen:".into() });
        }
        o
    }

    fn max_len(&self) -> usize {
        self.max_langd.unwrap_or(if self.typ == QuestionType::KortText { 200 } else { 4000 })
    }
}

/// A group of questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Group id.
    pub id: String,
    /// Heading.
    pub rubrik: String,
    /// The sub-goal the group belongs to.
    #[serde(default)]
    pub delmal: Option<u8>,
    /// A template repeated for every sub-goal of the county profile (see the module docs).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub per_delmal: bool,
    /// Description.
    #[serde(default)]
    pub beskrivning: String,
    /// Questions.
    #[serde(default)]
    pub fraga: Vec<Question>,
}

/// A versioned questionnaire definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDefinition {
    /// Form id.
    pub id: String,
    /// Version (≥ 1).
    pub version: u32,
    /// Part code.
    pub del: String,
    /// Title.
    pub titel: String,
    /// Introduction.
    #[serde(default)]
    pub ingress: String,
    /// Default scale.
    #[serde(default)]
    pub skala: Option<ScaleSpec>,
    /// Groups.
    #[serde(default)]
    pub grupp: Vec<Group>,
}

/// A validated value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "typ", content = "varde", rename_all = "snake_case")]
pub enum Value {
    /// A step on the scale.
    Skala(u8),
    /// Yes or no.
    JaNej(bool),
    /// One option (and the "annat" text when that option is chosen).
    Enval { kod: String, annat: String },
    /// Options (and the "annat" text).
    Flerval { koder: Vec<String>, annat: String },
    /// A number.
    Tal(f64),
    /// Whole kronor.
    Belopp(i64),
    /// Text.
    Text(String),
}

/// Validated answers: field name → value (only answered, active questions).
pub type Answers = BTreeMap<String, Value>;

/// Whether required answers are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A saved draft: may be incomplete.
    Draft,
    /// A submission: required answers must be present.
    Submit,
}

/// What the validation needs to know about the answering organisation.
#[derive(Debug, Clone, Default)]
pub struct FormContext {
    /// Member municipalities (code, name) for `per_kommun` questions; for a municipality itself
    /// its own code and name.
    pub municipalities: Vec<(String, String)>,
}

/// One concrete field of a question (a `per_kommun` question has one per municipality).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldSlot<'a> {
    /// The question.
    pub question: &'a Question,
    /// Field name.
    pub field: String,
    /// Question text, with the municipality's name for `per_kommun`.
    pub text: String,
}

fn err(field: &str, msg: impl Into<String>) -> InputError {
    InputError::new(Location::field(field), msg)
}

impl FormDefinition {
    /// Parses and checks a definition (unique ids, options present for choices, valid scales,
    /// conditions pointing at earlier questions).
    pub fn parse(text: &str) -> Result<FormDefinition, InputErrors> {
        let def: FormDefinition = toml::from_str(text).map_err(|e| {
            InputErrors::from(InputError::new(
                Location::default(),
                format!("Formulärdefinitionen kunde inte läsas: {}", e.message()),
            ))
        })?;
        let mut errors = Vec::new();
        if def.version == 0 {
            errors.push(err("version", "Versionen måste vara 1 eller högre."));
        }
        if super::Part::parse(&def.del).is_none() {
            errors.push(err("del", format!("Okänd del \"{}\".", def.del)));
        }
        if let Some(s) = &def.skala {
            if let Err(e) = Scale::new(s.min, s.max, s.etiketter.clone()) {
                errors.extend(e.0);
            }
        }
        // Template groups are checked as they come out for two sub-goals: ids must then be
        // unique, so every id in a template must contain `{n}`.
        for g in def.grupp.iter().filter(|g| g.per_delmal) {
            if g.delmal.is_some() {
                errors.push(err(
                    &g.id,
                    format!("Gruppen \"{}\" kan inte ha både delmal och per_delmal.", g.id),
                ));
            }
            for q in &g.fraga {
                if !q.id.contains("{n}") {
                    errors.push(err(
                        &q.id,
                        format!("Frågans id \"{}\" i en grupp per delmål måste innehålla {{n}}.", q.id),
                    ));
                }
            }
        }
        let probe = def.with_subgoals(&[
            crate::delmal::SubGoal { number: 1, name: "A".into(), statement: "a".into() },
            crate::delmal::SubGoal { number: 2, name: "B".into(), statement: "b".into() },
        ]);
        let mut seen = BTreeSet::new();
        for q in probe.questions() {
            if q.id.is_empty()
                || !q.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                errors
                    .push(err(&q.id, format!("Frågans id \"{}\" får bara innehålla a–z, 0–9 och _.", q.id)));
            }
            if !seen.insert(q.id.clone()) {
                errors.push(err(&q.id, format!("Frågans id \"{}\" används mer än en gång.", q.id)));
            }
            if matches!(q.typ, QuestionType::Enval | QuestionType::Flerval) && q.options().is_empty() {
                errors.push(err(&q.id, format!("Frågan \"{}\" saknar svarsalternativ.", q.id)));
            }
            if q.typ == QuestionType::Skala {
                match def.scale_of(q) {
                    Some(Ok(_)) => {}
                    Some(Err(e)) => errors.extend(e.0),
                    None => errors.push(err(&q.id, format!("Frågan \"{}\" saknar skala.", q.id))),
                }
            }
            if let Some(c) = &q.villkor {
                if !seen.contains(&c.fraga) || c.fraga == q.id {
                    errors.push(err(
                        &q.id,
                        format!(
                            "Villkoret för \"{}\" pekar på \"{}\", som inte är en tidigare fråga.",
                            q.id, c.fraga
                        ),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(def)
        } else {
            Err(InputErrors(errors))
        }
    }

    /// The form as answered in a county with `subgoals`: every `per_delmal` group repeated for
    /// each sub-goal with `{n}` and `{namn}` replaced. A form without template groups is
    /// returned unchanged (older stored forms name their sub-goal groups themselves).
    pub fn with_subgoals(&self, subgoals: &[crate::delmal::SubGoal]) -> FormDefinition {
        if !self.grupp.iter().any(|g| g.per_delmal) {
            return self.clone();
        }
        let mut out = self.clone();
        out.grupp = Vec::with_capacity(self.grupp.len() + subgoals.len());
        for g in &self.grupp {
            if !g.per_delmal {
                out.grupp.push(g.clone());
                continue;
            }
            for sg in subgoals {
                let n = sg.number.to_string();
                let fill = |t: &str| t.replace("{n}", &n).replace("{namn}", &sg.name);
                out.grupp.push(Group {
                    id: fill(&g.id),
                    rubrik: fill(&g.rubrik),
                    delmal: Some(sg.number),
                    per_delmal: false,
                    beskrivning: fill(&g.beskrivning),
                    fraga: g
                        .fraga
                        .iter()
                        .map(|q| Question {
                            id: fill(&q.id),
                            text: fill(&q.text),
                            hjalp: fill(&q.hjalp),
                            annat_falt: q.annat_falt.as_deref().map(fill),
                            ..q.clone()
                        })
                        .collect(),
                });
            }
        }
        out
    }

    /// The part this form belongs to.
    pub fn part(&self) -> Option<super::Part> {
        super::Part::parse(&self.del)
    }

    /// All questions in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.grupp.iter().flat_map(|g| g.fraga.iter())
    }

    /// The question with id `id`.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }

    /// The scale of a `skala` question (its own, else the form's).
    pub fn scale_of(&self, q: &Question) -> Option<Result<Scale, InputErrors>> {
        q.skala.as_ref().or(self.skala.as_ref()).map(|s| Scale::new(s.min, s.max, s.etiketter.clone()))
    }

    /// The form's default scale (the default 1–5 scale when none is given).
    pub fn scale(&self) -> Scale {
        self.skala
            .as_ref()
            .and_then(|s| Scale::new(s.min, s.max, s.etiketter.clone()).ok())
            .unwrap_or_default()
    }

    /// The concrete fields of a question.
    pub fn slots<'a>(&self, q: &'a Question, ctx: &FormContext) -> Vec<FieldSlot<'a>> {
        if q.per_kommun {
            ctx.municipalities
                .iter()
                .map(|(code, name)| FieldSlot {
                    question: q,
                    field: format!("{}_{code}", q.id),
                    text: format!("{} – {name}", q.text),
                })
                .collect()
        } else {
            vec![FieldSlot { question: q, field: q.id.clone(), text: q.text.clone() }]
        }
    }

    /// Whether a question is active given the raw fields (its condition holds or it has none).
    pub fn is_active(&self, q: &Question, raw: &BTreeMap<String, Vec<String>>) -> bool {
        match &q.villkor {
            None => true,
            Some(c) => {
                let wanted = c.varde.trim().to_lowercase();
                let parent_active = self.question(&c.fraga).map(|p| self.is_active(p, raw)).unwrap_or(false);
                parent_active
                    && raw.get(&c.fraga).into_iter().flatten().any(|v| {
                        let v = v.trim().to_lowercase();
                        v == wanted || (yes_no(&v) == yes_no(&wanted) && yes_no(&v).is_some())
                    })
            }
        }
    }

    /// Validates submitted fields (name, value) into typed answers. Unknown fields are ignored.
    pub fn validate(
        &self,
        fields: &[(String, String)],
        ctx: &FormContext,
        mode: Mode,
    ) -> Result<Answers, InputErrors> {
        let mut raw: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in fields {
            raw.entry(k.clone()).or_default().push(v.trim().to_string());
        }
        let mut answers = Answers::new();
        let mut errors = Vec::new();
        for q in self.questions() {
            if !self.is_active(q, &raw) {
                continue;
            }
            for slot in self.slots(q, ctx) {
                let values: Vec<&str> = raw
                    .get(&slot.field)
                    .into_iter()
                    .flatten()
                    .map(String::as_str)
                    .filter(|v| !v.is_empty())
                    .collect();
                let other = raw
                    .get(&q.other_field())
                    .and_then(|v| v.last())
                    .map(|s| s.trim().to_string())
                    .unwrap_or_default();
                match self.parse_value(q, &slot, &values, &other) {
                    Ok(Some(v)) => {
                        answers.insert(slot.field.clone(), v);
                    }
                    Ok(None) if mode == Mode::Submit && q.obligatorisk => {
                        errors.push(err(&slot.field, format!("Frågan ”{}” måste besvaras.", slot.text)))
                    }
                    Ok(None) => {}
                    Err(msg) => errors.push(err(&slot.field, msg)),
                }
            }
        }
        if errors.is_empty() {
            Ok(answers)
        } else {
            Err(InputErrors(errors))
        }
    }

    fn parse_value(
        &self,
        q: &Question,
        slot: &FieldSlot<'_>,
        values: &[&str],
        other: &str,
    ) -> Result<Option<Value>, String> {
        let text = &slot.text;
        let last = values.last().copied();
        let choice_text = |code: &str| {
            q.options().iter().any(|c| c.kod == code).then(|| code.to_string()).ok_or_else(|| {
                let labels: Vec<String> = q.options().iter().map(|c| c.etikett.clone()).collect();
                format!("\"{code}\" är inget giltigt svar på ”{text}”; välj bland: {}.", labels.join(", "))
            })
        };
        match q.typ {
            QuestionType::Flerval => {
                let mut codes = Vec::new();
                for v in values.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|v| !v.is_empty()) {
                    let c = choice_text(v)?;
                    if !codes.contains(&c) {
                        codes.push(c);
                    }
                }
                if q.annat && !other.is_empty() && !codes.iter().any(|c| c == OTHER_CODE) {
                    codes.push(OTHER_CODE.into());
                }
                if q.annat && codes.iter().any(|c| c == OTHER_CODE) && other.is_empty() {
                    return Err(format!("Du har valt ”Annat” på ”{text}”; skriv vad."));
                }
                if other.chars().count() > 500 {
                    return Err(format!("Texten för ”Annat” på ”{text}” får ha högst 500 tecken."));
                }
                Ok((!codes.is_empty()).then(|| Value::Flerval { koder: codes, annat: other.to_string() }))
            }
            _ => {
                let Some(v) = last else {
                    return Ok(None);
                };
                let value = match q.typ {
                    QuestionType::Skala => {
                        let scale = match self.scale_of(q) {
                            Some(Ok(s)) => s,
                            _ => Scale::default(),
                        };
                        let range = scale.range_text();
                        let n: i64 = v.parse().map_err(|_| {
                            format!("\"{v}\" är inget heltal; ange ett värde på skalan {range} för ”{text}”.")
                        })?;
                        let step = u8::try_from(n).ok().and_then(|n| scale.rating(n)).ok_or_else(|| {
                            format!("Värdet {n} ligger utanför skalan {range} för ”{text}”.")
                        })?;
                        Value::Skala(step.value())
                    }
                    QuestionType::JaNej => Value::JaNej(yes_no(v).ok_or_else(|| {
                        format!("\"{v}\" är inget giltigt svar på ”{text}”; ange ja eller nej.")
                    })?),
                    QuestionType::Enval => {
                        let code = choice_text(v)?;
                        if code == OTHER_CODE && q.annat && other.is_empty() {
                            return Err(format!("Du har valt ”Annat” på ”{text}”; skriv vad."));
                        }
                        let annat = if code == OTHER_CODE { other.to_string() } else { String::new() };
                        Value::Enval { kod: code, annat }
                    }
                    QuestionType::Tal => {
                        let x = format::parse_decimal(v).map_err(|e| format!("”{text}”: {e}"))?;
                        if q.heltal && x.fract() != 0.0 {
                            return Err(format!("”{text}” ska vara ett heltal, inte {v}."));
                        }
                        if let Some(min) = q.min {
                            if x < min {
                                return Err(format!(
                                    "”{text}” får inte vara lägre än {}.",
                                    format::number(min, 2)
                                ));
                            }
                        }
                        if let Some(max) = q.max {
                            if x > max {
                                return Err(format!(
                                    "”{text}” får inte vara högre än {}.",
                                    format::number(max, 2)
                                ));
                            }
                        }
                        Value::Tal(x)
                    }
                    QuestionType::Belopp => {
                        let x = format::parse_kronor(v).map_err(|e| format!("”{text}”: {e}"))?;
                        if x < 0 {
                            return Err(format!("”{text}” får inte vara negativt."));
                        }
                        Value::Belopp(x)
                    }
                    QuestionType::KortText | QuestionType::LangText => {
                        if v.chars().count() > q.max_len() {
                            return Err(format!("Svaret på ”{text}” får ha högst {} tecken.", q.max_len()));
                        }
                        if q.typ == QuestionType::KortText && v.contains('\n') {
                            return Err(format!("Svaret på ”{text}” ska vara en rad."));
                        }
                        Value::Text(v.to_string())
                    }
                    QuestionType::Flerval => unreachable!("handled above"),
                };
                Ok(Some(value))
            }
        }
    }

    /// Turns validated answers back into form fields (to refill a form, or to feed a domain
    /// parser such as [`crate::sjalvskattning::parse_form`]).
    pub fn to_fields(&self, answers: &Answers) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (field, value) in answers {
            let other_field = self
                .questions()
                .find(|q| q.id == *field)
                .map(Question::other_field)
                .unwrap_or_else(|| format!("{field}_annat"));
            match value {
                Value::Skala(v) => out.push((field.clone(), v.to_string())),
                Value::JaNej(b) => out.push((field.clone(), if *b { "ja" } else { "nej" }.to_string())),
                Value::Enval { kod, annat } => {
                    out.push((field.clone(), kod.clone()));
                    if !annat.is_empty() {
                        out.push((other_field, annat.clone()));
                    }
                }
                Value::Flerval { koder, annat } => {
                    out.extend(koder.iter().map(|k| (field.clone(), k.clone())));
                    if !annat.is_empty() {
                        out.push((other_field, annat.clone()));
                    }
                }
                Value::Tal(x) => out.push((field.clone(), format::number(*x, 6))),
                Value::Belopp(x) => out.push((field.clone(), x.to_string())),
                Value::Text(t) => out.push((field.clone(), t.clone())),
            }
        }
        out
    }
}

/// Parses ja/nej.
pub fn yes_no(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "ja" | "j" | "true" | "1" | "on" => Some(true),
        "nej" | "n" | "false" | "0" | "off" => Some(false),
        _ => None,
    }
}
