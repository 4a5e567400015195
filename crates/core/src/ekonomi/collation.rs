//! Swedish alphabetical order for names (a–z, then å, ä, ö), used to sort municipalities the way
//! a Swedish reader expects ("Vansbro" before "Älvdalen", "Åre" before "Älvdalen").

use std::cmp::Ordering;

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
}
