//! The county's organisations: region, municipalities, local system leaderships (LSL) and
//! governance bodies, with the built-in Dalarna registry and import from TOML or CSV.
//!
//! Codes: municipalities and the region use SCB/Kolada four-digit codes (`2084`, `0020`; the
//! country is `0000`). LSLs and bodies have lower-case slugs (`lsl-sodra-dalarna`, `lchnv`).

use crate::error::{InputError, InputErrors, Location};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Kolada code for the whole country.
pub const COUNTRY_CODE: &str = "0000";

/// What kind of organisation a code names.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    /// The whole country (Riket), for comparisons only.
    Land,
    /// The region / county (Region Dalarna).
    Region,
    /// A municipality (kommun).
    Kommun,
    /// A local system leadership (lokal systemledning).
    Lsl,
    /// A governance body (VFR, LCHNV, styrgrupp, RSS).
    Organ,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Land => "land",
            OrgKind::Region => "region",
            OrgKind::Kommun => "kommun",
            OrgKind::Lsl => "lsl",
            OrgKind::Organ => "organ",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "land" | "riket" => Some(OrgKind::Land),
            "region" | "län" | "lan" => Some(OrgKind::Region),
            "kommun" => Some(OrgKind::Kommun),
            "lsl" | "lokal systemledning" => Some(OrgKind::Lsl),
            "organ" => Some(OrgKind::Organ),
            _ => None,
        }
    }
    /// Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            OrgKind::Land => "Riket",
            OrgKind::Region => "Region",
            OrgKind::Kommun => "Kommun",
            OrgKind::Lsl => "Lokal systemledning",
            OrgKind::Organ => "Organ",
        }
    }
}

/// One organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Organisation {
    pub code: String,
    pub kind: OrgKind,
    pub name: String,
    /// Short name or abbreviation (`VFR`), empty when none.
    pub short_name: String,
    pub description: String,
}

/// A local system leadership and its member municipalities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Lsl {
    pub code: String,
    pub name: String,
    pub municipalities: Vec<String>,
}

/// The whole registry of one county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Registry {
    /// The county name, e.g. "Dalarnas län".
    pub county_name: String,
    pub region: Organisation,
    pub municipalities: Vec<Organisation>,
    pub lsls: Vec<Lsl>,
    pub bodies: Vec<Organisation>,
}

impl Registry {
    /// All organisations including the country, region, LSLs and bodies, in display order.
    pub fn all_organisations(&self) -> Vec<Organisation> {
        let mut out = vec![Organisation {
            code: COUNTRY_CODE.to_string(),
            kind: OrgKind::Land,
            name: "Riket".to_string(),
            short_name: String::new(),
            description: "Hela landet, för jämförelser.".to_string(),
        }];
        out.push(self.region.clone());
        out.extend(self.municipalities.iter().cloned());
        out.extend(self.lsls.iter().map(|l| Organisation {
            code: l.code.clone(),
            kind: OrgKind::Lsl,
            name: l.name.clone(),
            short_name: String::new(),
            description: String::new(),
        }));
        out.extend(self.bodies.iter().cloned());
        out
    }

    /// The name of a region, municipality or LSL by code.
    pub fn name_of(&self, code: &str) -> Option<&str> {
        if self.region.code == code {
            return Some(&self.region.name);
        }
        self.municipalities
            .iter()
            .find(|m| m.code == code)
            .map(|m| m.name.as_str())
            .or_else(|| self.lsls.iter().find(|l| l.code == code).map(|l| l.name.as_str()))
            .or_else(|| self.bodies.iter().find(|b| b.code == code).map(|b| b.name.as_str()))
    }

    /// The LSL a municipality belongs to.
    pub fn lsl_of(&self, municipality_code: &str) -> Option<&Lsl> {
        self.lsls.iter().find(|l| l.municipalities.iter().any(|m| m == municipality_code))
    }

    /// Checks the registry's invariants: valid unique codes, every LSL member is a known
    /// municipality, every municipality belongs to exactly one LSL.
    pub fn validate(&self) -> Result<(), InputErrors> {
        let mut errors = Vec::new();
        let mut seen = BTreeSet::new();
        if !is_scb_code(&self.region.code) {
            errors.push(InputError::new(
                Location::field("region.kod"),
                format!("\"{}\" är inte en fyrsiffrig regionkod.", self.region.code),
            ));
        }
        seen.insert(self.region.code.clone());
        for m in &self.municipalities {
            if !is_scb_code(&m.code) {
                errors.push(InputError::new(
                    Location::field("kommun.kod"),
                    format!("\"{}\" ({}) är inte en fyrsiffrig kommunkod.", m.code, m.name),
                ));
            }
            if !seen.insert(m.code.clone()) {
                errors.push(InputError::new(
                    Location::field("kommun.kod"),
                    format!("Koden {} finns mer än en gång.", m.code),
                ));
            }
        }
        let muni_codes: BTreeSet<&str> = self.municipalities.iter().map(|m| m.code.as_str()).collect();
        let mut membership: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for l in &self.lsls {
            if !seen.insert(l.code.clone()) {
                errors.push(InputError::new(
                    Location::field("lsl.namn"),
                    format!("Den lokala systemledningen {} finns mer än en gång.", l.name),
                ));
            }
            if l.municipalities.is_empty() {
                errors.push(InputError::new(
                    Location::field("lsl.kommuner"),
                    format!("Den lokala systemledningen {} har inga kommuner.", l.name),
                ));
            }
            for m in &l.municipalities {
                if !muni_codes.contains(m.as_str()) {
                    errors.push(InputError::new(
                        Location::field("lsl.kommuner"),
                        format!("{} anger kommunkoden {m}, som inte finns i registret.", l.name),
                    ));
                }
                membership.entry(m.as_str()).or_default().push(l.name.as_str());
            }
        }
        for m in &self.municipalities {
            match membership.get(m.code.as_str()).map(|v| v.len()).unwrap_or(0) {
                0 => errors.push(InputError::new(
                    Location::field("lsl.kommuner"),
                    format!("{} ({}) hör inte till någon lokal systemledning.", m.name, m.code),
                )),
                1 => {}
                _ => errors.push(InputError::new(
                    Location::field("lsl.kommuner"),
                    format!("{} ({}) hör till flera lokala systemledningar.", m.name, m.code),
                )),
            }
        }
        for b in &self.bodies {
            if !is_slug(&b.code) {
                errors.push(InputError::new(
                    Location::field("organ.kod"),
                    format!(
                        "\"{}\" är ingen giltig kod (små bokstäver a–z, siffror och bindestreck).",
                        b.code
                    ),
                ));
            }
            if !seen.insert(b.code.clone()) {
                errors.push(InputError::new(
                    Location::field("organ.kod"),
                    format!("Koden {} finns mer än en gång.", b.code),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(InputErrors(errors))
        }
    }
}

/// A four-digit SCB/Kolada code.
pub fn is_scb_code(s: &str) -> bool {
    s.len() == 4 && s.chars().all(|c| c.is_ascii_digit())
}

fn is_slug(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Makes a code slug from a Swedish name: "Södra Dalarna" → "sodra-dalarna".
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        let mapped = match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ó' | 'ø' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if mapped == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(mapped);
    }
    out.trim_end_matches('-').to_string()
}

fn org(code: &str, kind: OrgKind, name: &str, short: &str, description: &str) -> Organisation {
    Organisation {
        code: code.to_string(),
        kind,
        name: name.to_string(),
        short_name: short.to_string(),
        description: description.to_string(),
    }
}

/// The built-in registry for Dalarna (DOMAIN.md §2).
pub fn dalarna() -> Registry {
    let municipalities = [
        ("2021", "Vansbro"),
        ("2023", "Malung-Sälen"),
        ("2026", "Gagnef"),
        ("2029", "Leksand"),
        ("2031", "Rättvik"),
        ("2034", "Orsa"),
        ("2039", "Älvdalen"),
        ("2061", "Smedjebacken"),
        ("2062", "Mora"),
        ("2080", "Falun"),
        ("2081", "Borlänge"),
        ("2082", "Säter"),
        ("2083", "Hedemora"),
        ("2084", "Avesta"),
        ("2085", "Ludvika"),
    ];
    let lsl_members: [(&str, &[&str]); 13] = [
        ("Vansbro", &["2021"]),
        ("Malung-Sälen", &["2023"]),
        ("Gagnef", &["2026"]),
        ("Leksand", &["2029"]),
        ("Rättvik", &["2031"]),
        ("Orsa", &["2034"]),
        ("Älvdalen", &["2039"]),
        ("Västerbergslagen", &["2061", "2085"]),
        ("Mora", &["2062"]),
        ("Falun", &["2080"]),
        ("Borlänge", &["2081"]),
        ("Säter", &["2082"]),
        ("Södra Dalarna", &["2083", "2084"]),
    ];
    Registry {
        county_name: "Dalarnas län".to_string(),
        region: org("0020", OrgKind::Region, "Region Dalarna", "", "Regionen och länet i Kolada (kod 0020)."),
        municipalities: municipalities
            .iter()
            .map(|(c, n)| org(c, OrgKind::Kommun, n, "", ""))
            .collect(),
        lsls: lsl_members
            .iter()
            .map(|(name, members)| Lsl {
                code: format!("lsl-{}", slugify(name)),
                name: name.to_string(),
                municipalities: members.iter().map(|m| m.to_string()).collect(),
            })
            .collect(),
        bodies: vec![
            org("vfr", OrgKind::Organ, "Välfärdsrådet", "VFR", "Politiskt välfärdsråd; beställer den regionala handlingsplanen och tar emot slutredovisningar."),
            org("lchnv", OrgKind::Organ, "Länschefsnätverket", "LCHNV", "Länets chefsnätverk; äger den regionala handlingsplanen."),
            org("lchnv-styrgrupp", OrgKind::Organ, "Styrgruppen för Länschefsnätverket", "Styrgrupp LCHNV", "Bereder ärenden och är nätverkets representation i regional systemledning."),
            org("rss", OrgKind::Organ, "RSS Dalarna", "RSS", "Regional stödstruktur; ansvarar för uppföljning, årsrapport och arbetet med handlingsplanen."),
        ],
    }
}

// ---------------------------------------------------------------------------------------------
// Import from TOML

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    lan: TomlLan,
    #[serde(default)]
    kommun: Vec<TomlKommun>,
    #[serde(default)]
    lsl: Vec<TomlLsl>,
    #[serde(default)]
    organ: Vec<TomlOrgan>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlLan {
    namn: String,
    region_kod: String,
    region_namn: String,
    #[serde(default)]
    region_beskrivning: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlKommun {
    kod: String,
    namn: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlLsl {
    namn: String,
    kommuner: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlOrgan {
    kod: String,
    namn: String,
    #[serde(default)]
    kortnamn: String,
    #[serde(default)]
    beskrivning: String,
}

/// Parses a registry from the documented TOML format (see `docs/organisationer.md`).
pub fn parse_toml(text: &str) -> Result<Registry, InputErrors> {
    let file: TomlFile = toml::from_str(text).map_err(|e| {
        let row = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        InputError::new(
            Location { row, ..Default::default() },
            format!("Filen kunde inte läsas som TOML: {}", e.message()),
        )
    })?;
    let registry = Registry {
        county_name: file.lan.namn,
        region: org(
            &file.lan.region_kod,
            OrgKind::Region,
            &file.lan.region_namn,
            "",
            file.lan.region_beskrivning.trim(),
        ),
        municipalities: file
            .kommun
            .into_iter()
            .map(|k| org(k.kod.trim(), OrgKind::Kommun, k.namn.trim(), "", ""))
            .collect(),
        lsls: file
            .lsl
            .into_iter()
            .map(|l| Lsl {
                code: format!("lsl-{}", slugify(&l.namn)),
                name: l.namn.trim().to_string(),
                municipalities: l.kommuner.into_iter().map(|k| k.trim().to_string()).collect(),
            })
            .collect(),
        bodies: file
            .organ
            .into_iter()
            .map(|o| {
                org(o.kod.trim(), OrgKind::Organ, o.namn.trim(), o.kortnamn.trim(), o.beskrivning.trim())
            })
            .collect(),
    };
    registry.validate()?;
    Ok(registry)
}

/// Parses a registry from the documented CSV format: `;`-separated, UTF-8 (BOM allowed), header
/// `typ;kod;namn;lsl;kortnamn`. `typ` is `län`, `kommun` or `organ`; a municipality row names its
/// LSL in column `lsl`. Errors name the row and column.
pub fn parse_csv(text: &str) -> Result<Registry, InputErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| InputError::new(Location::row(1), format!("Rubrikraden kunde inte läsas: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(c_typ), Some(c_kod), Some(c_namn)) = (col("typ"), col("kod"), col("namn")) else {
        return Err(InputError::new(
            Location::row(1),
            "Rubrikraden måste innehålla kolumnerna typ;kod;namn (och lsl för kommuner).",
        )
        .into());
    };
    let c_lsl = col("lsl");
    let c_kort = col("kortnamn");
    let mut errors = Vec::new();
    let mut county: Option<(String, String, String)> = None;
    let mut municipalities = Vec::new();
    let mut lsls: Vec<Lsl> = Vec::new();
    let mut bodies = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(InputError::new(Location::row(row), format!("Raden kunde inte läsas: {e}")));
                continue;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").to_string();
        let typ = get(Some(c_typ));
        let kod = get(Some(c_kod));
        let namn = get(Some(c_namn));
        if namn.is_empty() {
            errors.push(InputError::new(Location::row(row).with_field("namn"), "Namnet saknas."));
            continue;
        }
        match typ.to_lowercase().as_str() {
            "län" | "lan" | "region" => {
                if !is_scb_code(&kod) {
                    errors.push(InputError::new(
                        Location::row(row).with_field("kod"),
                        format!("\"{kod}\" är inte en fyrsiffrig regionkod."),
                    ));
                }
                let lan_namn = get(c_kort);
                county = Some((kod, namn, lan_namn));
            }
            "kommun" => {
                if !is_scb_code(&kod) {
                    errors.push(InputError::new(
                        Location::row(row).with_field("kod"),
                        format!("\"{kod}\" är inte en fyrsiffrig kommunkod."),
                    ));
                    continue;
                }
                let lsl_name = get(c_lsl);
                if lsl_name.is_empty() {
                    errors.push(InputError::new(
                        Location::row(row).with_field("lsl"),
                        format!("Kommunen {namn} saknar lokal systemledning."),
                    ));
                    continue;
                }
                match lsls.iter_mut().find(|l| l.name == lsl_name) {
                    Some(l) => l.municipalities.push(kod.clone()),
                    None => lsls.push(Lsl {
                        code: format!("lsl-{}", slugify(&lsl_name)),
                        name: lsl_name,
                        municipalities: vec![kod.clone()],
                    }),
                }
                municipalities.push(org(&kod, OrgKind::Kommun, &namn, "", ""));
            }
            "organ" => bodies.push(org(&kod, OrgKind::Organ, &namn, &get(c_kort), "")),
            other => errors.push(InputError::new(
                Location::row(row).with_field("typ"),
                format!("Okänd typ \"{other}\". Giltiga typer: län, kommun, organ."),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors(errors));
    }
    let Some((region_code, region_name, county_name)) = county else {
        return Err(InputError::new(Location::default(), "Filen saknar en rad med typ län.").into());
    };
    let registry = Registry {
        county_name: if county_name.is_empty() { region_name.clone() } else { county_name },
        region: org(&region_code, OrgKind::Region, &region_name, "", ""),
        municipalities,
        lsls,
        bodies,
    };
    registry.validate()?;
    Ok(registry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dalarna_has_15_municipalities_and_13_lsls() {
        let r = dalarna();
        r.validate().unwrap();
        assert_eq!(r.municipalities.len(), 15);
        assert_eq!(r.lsls.len(), 13);
        let sodra = r.lsls.iter().find(|l| l.name == "Södra Dalarna").unwrap();
        assert_eq!(sodra.municipalities, vec!["2083", "2084"]);
        let vb = r.lsl_of("2085").unwrap();
        assert_eq!(vb.name, "Västerbergslagen");
        assert_eq!(vb.municipalities, vec!["2061", "2085"]);
        assert_eq!(r.lsl_of("2080").unwrap().code, "lsl-falun");
        assert_eq!(r.lsl_of("2039").unwrap().code, "lsl-alvdalen");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Södra Dalarna"), "sodra-dalarna");
        assert_eq!(slugify("Malung-Sälen"), "malung-salen");
        assert_eq!(slugify("  Älvdalen "), "alvdalen");
    }

    const TOML_OK: &str = r#"
[lan]
namn = "Exempellän"
region_kod = "0099"
region_namn = "Region Exempel"

[[kommun]]
kod = "9901"
namn = "Ettby"

[[kommun]]
kod = "9902"
namn = "Tvåby"

[[lsl]]
namn = "Norra"
kommuner = ["9901", "9902"]

[[organ]]
kod = "vfr"
namn = "Välfärdsrådet"
kortnamn = "VFR"
"#;

    #[test]
    fn toml_import_roundtrips_a_small_county() {
        let r = parse_toml(TOML_OK).unwrap();
        assert_eq!(r.county_name, "Exempellän");
        assert_eq!(r.municipalities.len(), 2);
        assert_eq!(r.lsls[0].code, "lsl-norra");
        assert_eq!(r.bodies[0].short_name, "VFR");
    }

    #[test]
    fn toml_syntax_error_names_the_line() {
        let bad = TOML_OK.replace("namn = \"Tvåby\"", "namn = Tvåby");
        let err = parse_toml(&bad).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("rad 13"), "{msg}");
        assert!(msg.contains("TOML"), "{msg}");
    }

    #[test]
    fn toml_unknown_member_is_refused() {
        let bad = TOML_OK.replace("[\"9901\", \"9902\"]", "[\"9901\", \"9903\"]");
        let msg = parse_toml(&bad).unwrap_err().to_string();
        assert!(msg.contains("9903"), "{msg}");
        assert!(msg.contains("Tvåby (9902) hör inte till någon"), "{msg}");
    }

    #[test]
    fn csv_import_with_bom_and_lsl_spanning_two() {
        let text = "\u{feff}typ;kod;namn;lsl;kortnamn\nlän;0099;Region Exempel;;Exempellän\nkommun;9901;Ettby;Norra;\nkommun;9902;Tvåby;Norra;\nkommun;9903;Treby;Södra;\norgan;lchnv;Länschefsnätverket;;LCHNV\n";
        let r = parse_csv(text).unwrap();
        assert_eq!(r.county_name, "Exempellän");
        assert_eq!(r.lsls.len(), 2);
        assert_eq!(r.lsls[0].municipalities, vec!["9901", "9902"]);
        assert_eq!(r.bodies[0].short_name, "LCHNV");
    }

    #[test]
    fn csv_errors_name_row_and_column() {
        let text =
            "typ;kod;namn;lsl\nlän;0099;Region Exempel;\nkommun;99X1;Ettby;Norra\nkommun;9902;Tvåby;\n";
        let msg = parse_csv(text).unwrap_err().to_string();
        assert!(msg.contains("rad 3, fält kod"), "{msg}");
        assert!(msg.contains("rad 4, fält lsl"), "{msg}");
    }
}
