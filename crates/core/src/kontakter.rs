//! Contacts (kontakter): the people of an organisation the regional team writes to, with their
//! function, and the CSV/XLSX file format for importing and exporting them (`docs/kontakter.md`).
//!
//! Pure: form fields or file bytes in, typed [`NewContact`]s or located Swedish errors out. An
//! import is all or nothing: one bad cell and the whole file is refused with every problem named
//! by file, row and column.

use crate::error::{InputError, InputErrors, Location};
use crate::organisation::{OrgKind, Registry};
use serde::{Deserialize, Serialize};

/// What a contact does, i.e. which mail they get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Function {
    /// Chair of a local system leadership (gets the self-assessment and the mapping).
    OrdforandeLsl,
    /// Head of a municipality's social services (gets the kommunenkät).
    Socialchef,
    /// Finance chief or controller (gets the financial report).
    Ekonomichef,
    /// Any other contact person of an organisation.
    Kontaktperson,
    /// Regional area coordinator supporting LSLs.
    Omradessamordnare,
    /// Contact of a POLSAM (local political collaboration between municipality and region).
    Polsam,
}

impl Function {
    pub const ALL: [Function; 6] = [
        Function::OrdforandeLsl,
        Function::Socialchef,
        Function::Ekonomichef,
        Function::Kontaktperson,
        Function::Omradessamordnare,
        Function::Polsam,
    ];

    /// The stored and file code.
    pub fn code(self) -> &'static str {
        match self {
            Function::OrdforandeLsl => "ordforande_lsl",
            Function::Socialchef => "socialchef",
            Function::Ekonomichef => "ekonomichef",
            Function::Kontaktperson => "kontaktperson",
            Function::Omradessamordnare => "omradessamordnare",
            Function::Polsam => "polsam",
        }
    }

    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            Function::OrdforandeLsl => "Ordförande LSL",
            Function::Socialchef => "Socialchef",
            Function::Ekonomichef => "Ekonomichef/controller",
            Function::Kontaktperson => "Kontaktperson",
            Function::Omradessamordnare => "Områdessamordnare",
            Function::Polsam => "POLSAM",
        }
    }

    /// The label inside a sentence: "ordförande LSL", "socialchef", "POLSAM".
    pub fn label_in_sentence(self) -> &'static str {
        match self {
            Function::OrdforandeLsl => "ordförande LSL",
            Function::Socialchef => "socialchef",
            Function::Ekonomichef => "ekonomichef/controller",
            Function::Kontaktperson => "kontaktperson",
            Function::Omradessamordnare => "områdessamordnare",
            Function::Polsam => "POLSAM",
        }
    }

    /// Parses a code or a label (any case, with or without å/ä/ö; "controller" and "ordförande"
    /// are accepted too).
    pub fn parse(input: &str) -> Option<Function> {
        let s = input.trim().to_lowercase().replace(['å', 'ä'], "a").replace('ö', "o");
        let s = s.replace([' ', '-'], "_");
        match s.as_str() {
            "ordforande_lsl" | "ordforande" => Some(Function::OrdforandeLsl),
            "socialchef" => Some(Function::Socialchef),
            "ekonomichef" | "controller" | "ekonomichef/controller" | "ekonomichef_eller_controller" => {
                Some(Function::Ekonomichef)
            }
            "kontaktperson" => Some(Function::Kontaktperson),
            "omradessamordnare" => Some(Function::Omradessamordnare),
            "polsam" => Some(Function::Polsam),
            _ => None,
        }
    }

    /// The kinds of organisation a function belongs to.
    pub fn allowed_for(self, kind: OrgKind) -> bool {
        match self {
            Function::OrdforandeLsl => kind == OrgKind::Lsl,
            Function::Socialchef | Function::Ekonomichef => kind == OrgKind::Kommun,
            Function::Kontaktperson => kind != OrgKind::Land,
            Function::Omradessamordnare | Function::Polsam => {
                matches!(kind, OrgKind::Region | OrgKind::Organ | OrgKind::Lsl | OrgKind::Kommun)
            }
        }
    }

    /// Swedish "where" of [`Function::allowed_for`], for messages.
    fn allowed_text(self) -> &'static str {
        match self {
            Function::OrdforandeLsl => "en lokal systemledning",
            Function::Socialchef | Function::Ekonomichef => "en kommun",
            _ => "en kommun, lokal systemledning, regionen eller ett organ",
        }
    }
}

/// A validated contact, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewContact {
    pub org_code: String,
    pub function: Function,
    pub name: String,
    pub email: String,
    /// Empty when not given.
    pub phone: String,
}

/// The columns of the file format, in order (header names as written in the file).
pub const COLUMNS: [&str; 5] = ["organisation", "funktion", "namn", "e-post", "telefon"];

/// Header line of an exported CSV file.
pub const CSV_HEADER: &str = "organisation;funktion;namn;e-post;telefon";

/// At most this many rows in one file.
pub const MAX_ROWS: usize = 5_000;

/// A contact's e-mail address or phone number that was refused; `Display` is the Swedish message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("Ange en e-postadress.")]
    MissingEmail,
    #[error("\"{0}\" är ingen giltig e-postadress.")]
    InvalidEmail(String),
    #[error("\"{0}\" är inget telefonnummer (siffror, mellanslag, +, - och parenteser).")]
    InvalidPhone(String),
}

crate::error::message_into_string!(ContactError);

/// Checks an e-mail address (one `@`, a dot in the domain, no spaces, at most 200 characters).
pub fn parse_email(input: &str) -> Result<String, ContactError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(ContactError::MissingEmail);
    }
    let ok = s.len() <= 200
        && !s.contains(char::is_whitespace)
        && !s.contains(['<', '>', '"', ',', ';'])
        && s.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(s.to_string())
    } else {
        Err(ContactError::InvalidEmail(s.to_string()))
    }
}

/// Checks a phone number: digits, spaces, `+`, `-` and parentheses, at least 5 digits; empty is
/// allowed (no phone).
pub fn parse_phone(input: &str) -> Result<String, ContactError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(String::new());
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if s.len() <= 40 && digits >= 5 && s.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c)) {
        Ok(s.to_string())
    } else {
        Err(ContactError::InvalidPhone(s.to_string()))
    }
}

/// Finds an organisation by code or by name (any case): (code, kind). A name shared by a
/// municipality and an LSL means the municipality, unless `prefer_lsl` (the function is
/// ordförande LSL) or the name is written "LSL Mora".
fn find_org(registry: &Registry, input: &str, prefer_lsl: bool) -> Option<(String, OrgKind)> {
    let s = input.trim();
    let lower = s.to_lowercase();
    if prefer_lsl {
        if let Some(l) = registry.lsls.iter().find(|l| l.name.to_lowercase() == lower) {
            return Some((l.code.clone(), OrgKind::Lsl));
        }
    }
    registry
        .all_organisations()
        .into_iter()
        .filter(|o| o.kind != OrgKind::Land)
        .find(|o| {
            o.code == s
                || o.name.to_lowercase() == lower
                || (!o.short_name.is_empty() && o.short_name.to_lowercase() == lower)
        })
        .or_else(|| {
            // "LSL Mora" / "Mora LSL" for the LSL named Mora.
            let bare = lower.trim_start_matches("lsl ").trim_end_matches(" lsl").to_string();
            registry
                .all_organisations()
                .into_iter()
                .find(|o| o.kind == OrgKind::Lsl && o.name.to_lowercase() == bare)
        })
        .map(|o| (o.code, o.kind))
}

/// Raw values of one contact (a form or a file row), field by field.
#[derive(Debug, Clone, Default)]
pub struct ContactFields<'a> {
    pub organisation: &'a str,
    pub function: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
}

/// Validates one contact; every problem is located at `location` with the field (column) name
/// added.
pub fn validate(
    registry: &Registry,
    fields: &ContactFields<'_>,
    location: &Location,
) -> Result<NewContact, InputErrors> {
    let mut errors = Vec::new();
    let at = |field: &str| location.clone().with_field(field);
    let function = Function::parse(fields.function);
    let org = match fields.organisation.trim() {
        "" => {
            errors.push(InputError::new(at("organisation"), "Ange organisationens kod eller namn."));
            None
        }
        s => {
            match find_org(registry, s, function == Some(Function::OrdforandeLsl)) {
                Some(o) => Some(o),
                None => {
                    errors.push(InputError::new(
                    at("organisation"),
                    format!("Organisationen \"{s}\" finns inte i registret (ange kod, t.ex. 2062, eller namn)."),
                ));
                    None
                }
            }
        }
    };
    let function = match function {
        Some(f) => Some(f),
        None => {
            let known: Vec<String> = Function::ALL.iter().map(|f| f.code().to_string()).collect();
            errors.push(InputError::new(
                at("funktion"),
                format!(
                    "Okänd funktion \"{}\"; använd {}.",
                    fields.function.trim(),
                    crate::format::join_sv(&known).replace(" och ", " eller ")
                ),
            ));
            None
        }
    };
    if let (Some((code, kind)), Some(f)) = (&org, function) {
        if !f.allowed_for(*kind) {
            errors.push(InputError::new(
                at("funktion"),
                format!(
                    "{} hör till {}, men {} är {}.",
                    f.label(),
                    f.allowed_text(),
                    registry.name_of(code).unwrap_or(code),
                    kind.label().to_lowercase()
                ),
            ));
        }
    }
    let name = fields.name.trim();
    if name.is_empty() {
        errors.push(InputError::new(at("namn"), "Ange kontaktpersonens namn."));
    } else if name.chars().count() > 200 {
        errors.push(InputError::new(at("namn"), "Namnet är längre än 200 tecken."));
    }
    let email = parse_email(fields.email).map_err(|m| errors.push(InputError::new(at("e-post"), m))).ok();
    let phone = parse_phone(fields.phone).map_err(|m| errors.push(InputError::new(at("telefon"), m))).ok();
    match (org, function, email, phone) {
        (Some((org_code, _)), Some(function), Some(email), Some(phone)) if errors.is_empty() => {
            Ok(NewContact { org_code, function, name: name.to_string(), email, phone })
        }
        _ => Err(InputErrors(errors)),
    }
}

fn is_blank(row: &[String]) -> bool {
    row.iter().all(|c| c.trim().is_empty())
}

/// Parses rows of cells (a CSV file's records or an XLSX sheet): the first non-blank row is the
/// header (the five [`COLUMNS`], any order, any case); blank rows are skipped; row numbers are
/// the file's own (1-based). Duplicates (same organisation, function and e-mail) are refused.
pub fn parse_rows(
    registry: &Registry,
    where_: &str,
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<NewContact>, InputErrors> {
    let located = |e: InputErrors| e.with_file(where_);
    let mut iter = rows.iter().filter(|(_, r)| !is_blank(r));
    let Some((header_row, header)) = iter.next() else {
        return Err(located(
            InputError::new(
                Location::default(),
                "Filen är tom; den ska ha en rubrikrad: organisation;funktion;namn;e-post;telefon.",
            )
            .into(),
        ));
    };
    let norm = |s: &str| s.trim().trim_start_matches('\u{feff}').to_lowercase().replace("epost", "e-post");
    let mut index = [usize::MAX; 5];
    let mut errors = Vec::new();
    for (i, col) in COLUMNS.iter().enumerate() {
        match header.iter().position(|h| norm(h) == *col) {
            Some(p) => index[i] = p,
            None if *col == "telefon" => {}
            None => errors.push(InputError::new(
                Location::row(*header_row).with_field(*col),
                format!(
                    "Kolumnen \"{col}\" saknas i rubrikraden (organisation;funktion;namn;e-post;telefon)."
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(located(InputErrors(errors)));
    }
    let mut out: Vec<NewContact> = Vec::new();
    let mut count = 0usize;
    for (row_no, row) in iter {
        count += 1;
        if count > MAX_ROWS {
            return Err(located(
                InputError::new(
                    Location::default(),
                    format!("Filen har fler än {} rader.", crate::format::integer(MAX_ROWS as i64)),
                )
                .into(),
            ));
        }
        let cell = |i: usize| row.get(index[i]).map(String::as_str).unwrap_or("");
        let fields = ContactFields {
            organisation: cell(0),
            function: cell(1),
            name: cell(2),
            email: cell(3),
            phone: cell(4),
        };
        match validate(registry, &fields, &Location::row(*row_no)) {
            Ok(c) => {
                if out.iter().any(|o| {
                    o.org_code == c.org_code
                        && o.function == c.function
                        && o.email.eq_ignore_ascii_case(&c.email)
                }) {
                    errors.push(InputError::new(
                        Location::row(*row_no).with_field("e-post"),
                        format!(
                            "{} finns redan som {} för {} på en tidigare rad.",
                            c.email,
                            c.function.label_in_sentence(),
                            registry.name_of(&c.org_code).unwrap_or(&c.org_code)
                        ),
                    ));
                } else {
                    out.push(c);
                }
            }
            Err(e) => errors.extend(e.0),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(located(InputErrors(errors)))
    }
}

/// Parses a semicolon-separated CSV text (UTF-8 or Windows-1252 decoded by the caller).
pub fn parse_csv(registry: &Registry, file_name: &str, text: &str) -> Result<Vec<NewContact>, InputErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        if i > MAX_ROWS + 1 {
            return Err(InputErrors::from(InputError::new(
                Location::default(),
                format!("Filen har fler än {} rader.", crate::format::integer(MAX_ROWS as i64)),
            ))
            .with_file(file_name));
        }
        match record {
            Ok(r) => {
                let line = r.position().map(|p| p.line() as usize).unwrap_or(i + 1);
                rows.push((
                    line,
                    r.iter().map(|c| crate::csvcell::restore_csv_cell(c).to_string()).collect(),
                ));
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize).unwrap_or(i + 1);
                errors.push(InputError::new(
                    Location::row(line),
                    format!("Raden kunde inte läsas som CSV: {e}"),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors).with_file(file_name));
    }
    parse_rows(registry, file_name, &rows)
}

/// Parses an uploaded file by its extension: `.csv` (semicolons; UTF-8 or Windows-1252) or
/// `.xlsx` (the first sheet).
pub fn parse_file(
    registry: &Registry,
    file_name: &str,
    bytes: &[u8],
) -> Result<Vec<NewContact>, InputErrors> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        parse_csv(registry, file_name, &crate::ekonomi::decode_text(bytes))
    } else if lower.ends_with(".xlsx") {
        let sheets = crate::ekonomi::read_xlsx(file_name, bytes)?;
        let Some((sheet, cells)) = sheets.first() else {
            return Err(InputErrors::from(InputError::new(
                Location::default(),
                "Excel-filen har inga blad.",
            ))
            .with_file(file_name));
        };
        let rows: Vec<(usize, Vec<String>)> =
            cells.iter().cloned().enumerate().map(|(i, r)| (i + 1, r)).collect();
        parse_rows(registry, &format!("{file_name}, blad {sheet}"), &rows)
    } else {
        Err(InputErrors::from(InputError::new(
            Location::default(),
            "Okänt filformat. Använd en Excel-fil (.xlsx) eller en semikolonseparerad CSV-fil (.csv).",
        ))
        .with_file(file_name))
    }
}

/// One contact as a row of the file format (organisation code, function code, name, e-mail,
/// phone): what an export writes and an import reads back unchanged.
pub fn export_row(c: &NewContact) -> [String; 5] {
    [c.org_code.clone(), c.function.code().to_string(), c.name.clone(), c.email.clone(), c.phone.clone()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::organisation::dalarna;

    fn rows(text: &str) -> Vec<(usize, Vec<String>)> {
        text.lines().enumerate().map(|(i, l)| (i + 1, l.split(';').map(str::to_string).collect())).collect()
    }

    #[test]
    fn a_valid_file_reads_codes_and_names() {
        let r = dalarna();
        let text = "organisation;funktion;namn;e-post;telefon\n\
                    2062;socialchef;Karin Ek;karin.ek@mora.example.se;0250-123 45\n\
                    Mora;Ordförande LSL;Per Berg;per.berg@mora.example.se;\n\
                    Södra Dalarna;ordforande_lsl;Eva Lind;eva@sd.example.se;070-123 45 67\n\
                    Region Dalarna;Områdessamordnare;Lisa Dahl;lisa@rd.example.se;\n";
        let got = parse_csv(&r, "k.csv", text).expect("valid");
        assert_eq!(got.len(), 4);
        assert_eq!(got[0].org_code, "2062");
        assert_eq!(got[0].function, Function::Socialchef);
        assert_eq!(got[1].org_code, "lsl-mora");
        assert_eq!(got[2].org_code, "lsl-sodra-dalarna");
        assert_eq!(got[3].org_code, "0020");
        assert_eq!(got[3].phone, "");
    }

    #[test]
    fn every_problem_is_named_by_file_row_and_column() {
        let r = dalarna();
        let text = "organisation;funktion;namn;e-post;telefon\n\
                    9999;socialchef;Karin Ek;karin.ek@mora.example.se;\n\
                    2062;chef;;inte-en-adress;abc\n\
                    lsl-mora;socialchef;Per;per@x.example.se;\n";
        let err = parse_csv(&r, "k.csv", text).unwrap_err();
        let lines = err.lines();
        assert!(
            lines[0].starts_with("fil k.csv, rad 2, fält organisation: Organisationen \"9999\""),
            "{lines:?}"
        );
        assert!(lines
            .iter()
            .any(|l| l.starts_with("fil k.csv, rad 3, fält funktion: Okänd funktion \"chef\"")));
        assert!(lines.iter().any(|l| l == "fil k.csv, rad 3, fält namn: Ange kontaktpersonens namn."));
        assert!(lines.iter().any(|l| l.starts_with("fil k.csv, rad 3, fält e-post: \"inte-en-adress\"")));
        assert!(lines.iter().any(|l| l.starts_with("fil k.csv, rad 3, fält telefon:")));
        assert!(lines.iter().any(|l| l
            == "fil k.csv, rad 4, fält funktion: Socialchef hör till en kommun, men Mora är lokal systemledning."));
        assert_eq!(lines.len(), 6, "{lines:?}");
    }

    #[test]
    fn missing_columns_and_duplicates_are_refused() {
        let r = dalarna();
        let err = parse_rows(&r, "k.csv", &rows("organisation;namn;telefon\n2062;A;")).unwrap_err();
        assert_eq!(
            err.lines(),
            vec![
                "fil k.csv, rad 1, fält funktion: Kolumnen \"funktion\" saknas i rubrikraden (organisation;funktion;namn;e-post;telefon).",
                "fil k.csv, rad 1, fält e-post: Kolumnen \"e-post\" saknas i rubrikraden (organisation;funktion;namn;e-post;telefon).",
            ]
        );
        let dup =
            "organisation;funktion;namn;e-post\n2062;socialchef;A B;a@b.se\n\n2062;Socialchef;A B;A@b.se";
        let err = parse_rows(&r, "k.csv", &rows(dup)).unwrap_err();
        assert_eq!(err.lines(), vec!["fil k.csv, rad 4, fält e-post: A@b.se finns redan som socialchef för Mora på en tidigare rad."]);
        assert!(parse_rows(&r, "k.csv", &rows("")).is_err());
    }

    #[test]
    fn export_rows_read_back_equal() {
        let r = dalarna();
        let c = NewContact {
            org_code: "2085".into(),
            function: Function::Ekonomichef,
            name: "Åsa Öberg".into(),
            email: "asa@ludvika.example.se".into(),
            phone: "+46 240 123 45".into(),
        };
        let text = format!("{CSV_HEADER}\n{}\n", export_row(&c).join(";"));
        assert_eq!(parse_csv(&r, "k.csv", &text).unwrap(), vec![c]);
        assert!(
            parse_file(&r, "k.pdf", b"x").unwrap_err().lines()[0].starts_with("fil k.pdf: Okänt filformat")
        );
    }

    #[test]
    fn functions_parse_from_codes_and_labels() {
        for f in Function::ALL {
            assert_eq!(Function::parse(f.code()), Some(f));
            assert_eq!(Function::parse(f.label()), Some(f), "{}", f.label());
        }
        assert_eq!(Function::parse("Controller"), Some(Function::Ekonomichef));
        assert_eq!(parse_email("a@b"), Err(ContactError::InvalidEmail("a@b".into())));
        assert_eq!(parse_email("a@b").unwrap_err().to_string(), "\"a@b\" är ingen giltig e-postadress.");
        assert_eq!(
            parse_phone("12").unwrap_err().to_string(),
            "\"12\" är inget telefonnummer (siffror, mellanslag, +, - och parenteser)."
        );
    }
}
