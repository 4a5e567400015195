//! Swedish formatting and parsing of numbers, amounts and dates.
//!
//! One helper for the whole application: `1 894 630` (space as thousands separator), `2,5`
//! (decimal comma), `−3,2` (minus sign), dates `2026-01-29`. Web pages, CSV, XLSX, Word and PDF all
//! format through here so that a number looks the same everywhere.

use chrono::NaiveDate;
use std::cmp::Ordering;

use crate::error::ValueError;

// Swedish alphabetical order (a–z, then å, ä, ö): use it wherever names are listed
// alphabetically ("Vansbro" before "Älvdalen", "Åre" before "Älvdalen").

/// Primary sort key of a name in Swedish order: case-insensitive; `å ä ö` after `z`; `é`/`è`
/// sort as `e`, `ü` as `y`, `æ` as `ä`, `ø` as `ö` (as in Swedish dictionaries); spaces and hyphens
/// come first, then digits, then letters; other characters keep their code point order last.
pub fn swedish_key(s: &str) -> Vec<u32> {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| {
            let letter = |l: char| 20 + l as u32 - 'a' as u32;
            match c {
                // Space and hyphen sort first so that "Malung-Sälen" < "Malunga".
                ' ' | '-' => 0,
                '0'..='9' => 1 + c as u32 - '0' as u32,
                'a'..='z' => letter(c),
                'á' | 'à' | 'â' => letter('a'),
                'é' | 'è' | 'ê' | 'ë' => letter('e'),
                'ü' => letter('y'),
                'å' => letter('z') + 1,
                'ä' | 'æ' => letter('z') + 2,
                'ö' | 'ø' => letter('z') + 3,
                other => 100 + other as u32,
            }
        })
        .collect()
}

/// Compares two names in Swedish alphabetical order; ties are broken by the exact text so that
/// the order is total and deterministic.
pub fn swedish_cmp(a: &str, b: &str) -> Ordering {
    swedish_key(a).cmp(&swedish_key(b)).then_with(|| a.cmp(b))
}

/// Thousands separator used in all output. A plain space, as in the county's own documents.
pub const THOUSANDS_SEP: char = ' ';

/// Formats a whole number with a space every three digits: `1894630` → `"1 894 630"`.
pub fn integer(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('−');
    }
    let len = digits.len();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(THOUSANDS_SEP);
        }
        out.push(ch);
    }
    out
}

/// Formats an amount in whole kronor: `"1 894 630 kr"`.
pub fn kronor(n: i64) -> String {
    format!("{} kr", integer(n))
}

/// Formats a decimal number with exactly `decimals` decimals and a decimal comma:
/// `decimal(2.5, 1)` → `"2,5"`, `decimal(12345.678, 1)` → `"12 345,7"`.
/// Non-finite values give `"–"`.
pub fn decimal(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "–".to_string();
    }
    let s = round_half_away(x.abs(), decimals);
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s.as_str(), None),
    };
    let int_val: i64 = int_part.parse().unwrap_or(0);
    let negative = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('−');
    }
    out.push_str(&integer(int_val));
    if let Some(f) = frac_part {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// Rounds half away from zero (as in Swedish official statistics: 12,25 → 12,3) and formats with
/// a decimal point; used by [`decimal`] and by exports.
pub fn round_half_away(x: f64, decimals: usize) -> String {
    let factor = 10f64.powi(decimals.min(12) as i32);
    let scaled = x * factor;
    // Values that are a hair below .5 only because of binary representation still round up.
    let rounded = (scaled + scaled.signum() * 1e-9).round() / factor;
    format!("{:.*}", decimals, rounded)
}

/// Formats a number with as few decimals as needed, at most `max_decimals`: `2.0` → `"2"`,
/// `2.5` → `"2,5"`, `3.456` with 2 → `"3,46"`.
pub fn number(x: f64, max_decimals: usize) -> String {
    let s = decimal(x, max_decimals);
    if s.contains(',') {
        let trimmed = s.trim_end_matches('0').trim_end_matches(',');
        trimmed.to_string()
    } else {
        s
    }
}

/// Formats a percentage value (already in percent): `12.34` → `"12,3 %"`.
pub fn percent(x: f64, decimals: usize) -> String {
    format!("{} %", decimal(x, decimals))
}

/// ISO date as used in Swedish public documents: `2026-01-29`.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Date and time to the minute: `2026-01-29 14:05`.
pub fn date_time(dt: chrono::NaiveDateTime) -> String {
    dt.format("%Y-%m-%d %H:%M").to_string()
}

/// A value quoted with its unit after it: `with_unit("62,8", "procent")` → `"62,8 procent"`;
/// an empty unit gives the value alone.
pub fn with_unit(value: &str, unit: &str) -> String {
    if unit.trim().is_empty() {
        value.to_string()
    } else {
        format!("{value} {}", unit.trim())
    }
}

/// The unit of a *difference* between two values of `unit`: a change in a percentage is
/// measured in percentage points, so every unit that starts with "procent" becomes
/// "procentenheter" ("procent, andel positiva svar" too); other units stay as they are.
pub fn difference_unit(unit: &str) -> String {
    let u = unit.trim();
    if u == "%" || u.to_lowercase().starts_with("procent") {
        "procentenheter".to_string()
    } else {
        u.to_string()
    }
}

/// A signed difference with its unit: `difference(-3.6, 1, "procent")` → `"−3,6 procentenheter"`,
/// `difference(12.0, 0, "antal per 1 000 invånare")` → `"+12 antal per 1 000 invånare"`.
pub fn difference(diff: f64, decimals: usize, unit: &str) -> String {
    let shown = decimal(diff.abs(), decimals);
    let zero = shown.chars().all(|c| !c.is_ascii_digit() || c == '0');
    let sign = if zero {
        ""
    } else if diff > 0.0 {
        "+"
    } else {
        "−"
    };
    with_unit(&format!("{sign}{shown}"), &difference_unit(unit))
}

/// Swedish number word (neuter) for small counts in running text ("de sex delmålen", "ett svar");
/// digits above ten.
pub fn number_word(n: usize) -> String {
    const WORDS: [&str; 11] =
        ["noll", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"];
    WORDS.get(n).map(|w| w.to_string()).unwrap_or_else(|| n.to_string())
}

/// A count with the noun in singular or plural: `count(1, "inskickad", "inskickade")` →
/// `"1 inskickad"`, `count(16687, …)` → `"16 687 inskickade"`.
pub fn count(n: i64, singular: &str, plural: &str) -> String {
    format!("{} {}", integer(n), if n == 1 || n == -1 { singular } else { plural })
}

/// Offset of Swedish local time (Europe/Stockholm) from UTC at a UTC instant, in hours: 2 in
/// summer time (from the last Sunday of March 01:00 UTC to the last Sunday of October
/// 01:00 UTC, the EU rule in force since 1996), else 1.
pub fn stockholm_offset_hours(utc: chrono::NaiveDateTime) -> i64 {
    use chrono::{Datelike, NaiveTime};
    let last_sunday = |month: u32| {
        let mut d = NaiveDate::from_ymd_opt(utc.year(), month, 31).unwrap_or_default();
        while d.weekday() != chrono::Weekday::Sun {
            d = d.pred_opt().unwrap_or(d);
        }
        d.and_time(NaiveTime::from_hms_opt(1, 0, 0).unwrap_or_default())
    };
    if utc >= last_sunday(3) && utc < last_sunday(10) {
        2
    } else {
        1
    }
}

/// A UTC instant as Swedish local time in words: `6 december 2026 kl. 01.58`.
pub fn local_date_time(utc: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    let local = utc + chrono::Duration::hours(stockholm_offset_hours(utc));
    format!("{} kl. {:02}.{:02}", date_long(local.date()), local.hour(), local.minute())
}

/// A stored RFC 3339 timestamp (`2026-12-06T00:58:00Z`, also with fractions or an offset) as
/// Swedish local time in words (`6 december 2026 kl. 01.58`); text that is not a timestamp is
/// returned unchanged.
pub fn timestamp(stored: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stored.trim()) {
        Ok(t) => local_date_time(t.naive_utc()),
        Err(_) => stored.to_string(),
    }
}

/// The local (Europe/Stockholm) calendar date of a stored RFC 3339 timestamp, in words:
/// `6 december 2026`; text that is not a timestamp is returned unchanged.
pub fn timestamp_date(stored: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(stored.trim()) {
        Ok(t) => {
            let utc = t.naive_utc();
            date_long((utc + chrono::Duration::hours(stockholm_offset_hours(utc))).date())
        }
        Err(_) => stored.to_string(),
    }
}

/// Swedish month names, 1-based index.
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// Long Swedish date: `29 januari 2026`.
pub fn date_long(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// Joins names the Swedish way: "A", "A och B", "A, B och C".
pub fn join_sv(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

/// "X av Y", the county's way of stating a share: `of(7, 13)` → `"7 av 13"`.
pub fn of(part: usize, whole: usize) -> String {
    format!("{part} av {whole}")
}

/// Parses a Swedish whole-kronor amount: accepts `"1 894 630"`, `"1 894 630 kr"`, `"1894630"`,
/// `"1\u{a0}894\u{a0}630"`, `"1 894 630,00"` (zero öre only), and a leading minus or `−`.
/// Fractional kronor and anything else are refused with a Swedish message.
pub fn parse_kronor(input: &str) -> Result<i64, ValueError> {
    let original = input.trim();
    let mut s: String = original
        .trim_end_matches("kronor")
        .trim_end_matches("kr")
        .trim_end_matches("SEK")
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if s.is_empty() {
        return Err(ValueError("Beloppet saknas.".to_string()));
    }
    let negative = s.starts_with('-') || s.starts_with('−');
    if negative {
        s = s.trim_start_matches(['-', '−']).to_string();
    }
    let whole = match s.split_once([',', '.']) {
        Some((w, frac)) => {
            if frac.chars().all(|c| c == '0') && !frac.is_empty() {
                w.to_string()
            } else if frac.len() == 3 && frac.chars().all(|c| c.is_ascii_digit()) && !w.is_empty() {
                // "1.894.630" style thousands separators are ambiguous; refuse clearly.
                return Err(ValueError(format!(
                    "\"{original}\" är inte ett entydigt belopp. Skriv hela kronor med mellanslag som tusentalsavgränsare, t.ex. 1 894 630."
                )));
            } else {
                return Err(ValueError(format!("\"{original}\" har ören. Belopp anges i hela kronor.")));
            }
        }
        None => s,
    };
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) {
        return Err(ValueError(format!("\"{original}\" är inte ett belopp i hela kronor.")));
    }
    let value: i64 = whole
        .parse()
        .map_err(|_| ValueError(format!("\"{original}\" är för stort för att vara ett belopp.")))?;
    Ok(if negative { -value } else { value })
}

/// Parses a Swedish decimal number: `"2,5"`, `"2.5"`, `"1 234,5"`, `"−3"`.
pub fn parse_decimal(input: &str) -> Result<f64, ValueError> {
    let original = input.trim();
    let s: String = original
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| match c {
            ',' => '.',
            '−' => '-',
            c => c,
        })
        .collect();
    if s.is_empty() {
        return Err(ValueError("Värdet saknas.".to_string()));
    }
    if s.matches('.').count() > 1 {
        return Err(ValueError(format!("\"{original}\" är inte ett tal.")));
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(ValueError(format!("\"{original}\" är inte ett tal."))),
    }
}

/// Parses an ISO date `2026-01-29`.
pub fn parse_date(input: &str) -> Result<NaiveDate, ValueError> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .map_err(|_| ValueError(format!("\"{}\" är inte ett datum på formen ÅÅÅÅ-MM-DD.", input.trim())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_come_last_in_swedish_order() {
        let mut names = vec!["Älvdalen", "Åre", "Öckerö", "Vansbro", "avesta", "Borlänge"];
        names.sort_by(|a, b| swedish_cmp(a, b));
        assert_eq!(names, ["avesta", "Borlänge", "Vansbro", "Åre", "Älvdalen", "Öckerö"]);
    }

    #[test]
    fn umlauts_inside_words_sort_after_z() {
        assert_eq!(swedish_cmp("Säter", "Sz"), Ordering::Greater);
        assert_eq!(swedish_cmp("Malung-Sälen", "Mora"), Ordering::Less);
    }

    #[test]
    fn integers_get_space_separators() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(999), "999");
        assert_eq!(integer(1000), "1 000");
        assert_eq!(integer(1_894_630), "1 894 630");
        assert_eq!(integer(23_849_655), "23 849 655");
        assert_eq!(integer(-39_273), "−39 273");
        assert_eq!(kronor(500_000), "500 000 kr");
    }

    #[test]
    fn decimals_use_comma() {
        assert_eq!(decimal(2.5, 1), "2,5");
        assert_eq!(decimal(12.25, 1), "12,3");
        assert_eq!(decimal(2.675, 2), "2,68");
        assert_eq!(decimal(-0.05, 1), "−0,1");
        assert_eq!(round_half_away(12.25, 1), "12.3");
        assert_eq!(decimal(3.0, 1), "3,0");
        assert_eq!(decimal(12345.678, 1), "12 345,7");
        assert_eq!(decimal(-0.04, 1), "0,0");
        assert_eq!(decimal(-1.25, 2), "−1,25");
        assert_eq!(decimal(f64::NAN, 1), "–");
        assert_eq!(number(2.0, 2), "2");
        assert_eq!(number(2.5, 2), "2,5");
        assert_eq!(number(3.456, 2), "3,46");
        assert_eq!(percent(12.34, 1), "12,3 %");
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 29).unwrap();
        assert_eq!(date(d), "2026-01-29");
        assert_eq!(date_long(d), "29 januari 2026");
        assert_eq!(parse_date(" 2026-01-29 "), Ok(d));
        assert!(parse_date("29/1 2026").unwrap_err().message().contains("ÅÅÅÅ-MM-DD"));
    }

    #[test]
    fn kronor_parsing_accepts_swedish_forms() {
        assert_eq!(parse_kronor("1 894 630"), Ok(1_894_630));
        assert_eq!(parse_kronor("1 894 630 kr"), Ok(1_894_630));
        assert_eq!(parse_kronor("1\u{a0}894\u{a0}630"), Ok(1_894_630));
        assert_eq!(parse_kronor("1894630"), Ok(1_894_630));
        assert_eq!(parse_kronor("39 273,00"), Ok(39_273));
        assert_eq!(parse_kronor("-5"), Ok(-5));
        assert_eq!(parse_kronor("−5 000"), Ok(-5000));
    }

    #[test]
    fn kronor_parsing_refuses_the_rest() {
        assert!(parse_kronor("").is_err());
        assert!(parse_kronor("12,50").unwrap_err().message().contains("ören"));
        assert!(parse_kronor("1.894.630").is_err());
        assert!(parse_kronor("abc").unwrap_err().message().contains("inte ett belopp"));
        assert!(parse_kronor("99999999999999999999999").is_err());
    }

    #[test]
    fn decimal_parsing() {
        assert_eq!(parse_decimal("2,5"), Ok(2.5));
        assert_eq!(parse_decimal("2.5"), Ok(2.5));
        assert_eq!(parse_decimal("1 234,5"), Ok(1234.5));
        assert_eq!(parse_decimal("−3"), Ok(-3.0));
        assert!(parse_decimal("1,2,3").is_err());
        assert!(parse_decimal("NaN").is_err());
        assert!(parse_decimal("inf").is_err());
    }

    #[test]
    fn differences_of_percentages_are_percentage_points() {
        assert_eq!(difference(-3.6, 1, "procent"), "−3,6 procentenheter");
        assert_eq!(difference(2.0, 1, "procent, andel positiva svar"), "+2,0 procentenheter");
        assert_eq!(difference(12.0, 0, "antal per 1 000 invånare"), "+12 antal per 1 000 invånare");
        assert_eq!(difference(16_687.0, 0, ""), "+16 687");
        assert_eq!(difference(-0.01, 1, "procent"), "0,0 procentenheter");
        assert_eq!(with_unit("62,8", "procent"), "62,8 procent");
        assert_eq!(with_unit("7", " "), "7");
    }

    #[test]
    fn counts_agree_in_number_and_have_thousands_spaces() {
        assert_eq!(count(1, "inskickad", "inskickade"), "1 inskickad");
        assert_eq!(count(0, "inskickad", "inskickade"), "0 inskickade");
        assert_eq!(count(16_687, "värde", "värden"), "16 687 värden");
        assert_eq!(integer(16_687), "16 687");
    }

    #[test]
    fn timestamps_in_swedish_local_time() {
        let t = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        // Winter: UTC+1.
        assert_eq!(timestamp("2026-12-06T00:58:00Z"), "6 december 2026 kl. 01.58");
        assert_eq!(timestamp("2026-12-06T00:58:00.123456Z"), "6 december 2026 kl. 01.58");
        assert_eq!(timestamp("2026-12-31T23:30:00+00:00"), "1 januari 2027 kl. 00.30");
        // Summer: UTC+2, changes at 01:00 UTC on the last Sundays of March and October.
        assert_eq!(local_date_time(t("2026-07-01 10:00")), "1 juli 2026 kl. 12.00");
        assert_eq!(stockholm_offset_hours(t("2026-03-29 00:59")), 1);
        assert_eq!(stockholm_offset_hours(t("2026-03-29 01:00")), 2);
        assert_eq!(stockholm_offset_hours(t("2026-10-25 00:59")), 2);
        assert_eq!(stockholm_offset_hours(t("2026-10-25 01:00")), 1);
        assert_eq!(stockholm_offset_hours(t("2025-03-30 01:00")), 2);
        assert_eq!(stockholm_offset_hours(t("2025-03-29 12:00")), 1);
        assert_eq!(timestamp_date("2026-10-24T22:30:00Z"), "25 oktober 2026");
        assert_eq!(timestamp("inte ett datum"), "inte ett datum");
    }

    #[test]
    fn swedish_order_is_reexported() {
        let mut v = vec!["Älvdalen", "Vansbro", "Avesta"];
        v.sort_by(|a, b| swedish_cmp(a, b));
        assert_eq!(v, ["Avesta", "Vansbro", "Älvdalen"]);
    }

    #[test]
    fn of_phrase() {
        assert_eq!(of(7, 13), "7 av 13");
    }
}
