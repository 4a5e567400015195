//! The password policy, one function for every place a password is set (the web's user
//! administration and `gnv user add` / `gnv user password`, both through
//! `gnv_storage::anvandare`).
//!
//! - 12 to 1 024 characters (log-in refuses longer passwords, so none may be set).
//! - Not the user name, not one repeated character.
//! - Not too guessable: the `zxcvbn` estimator (dictionaries of the most common passwords,
//!   names and words compiled into the binary; keyboard patterns such as `qwertyuiop`; sequences
//!   such as `123456789012`; repeats; dates) must estimate at least 10^10 guesses (score 4 of
//!   0–4 means more; 3 is "safely unguessable" for an online attack with throttling; we require
//!   [`MIN_SCORE`]). Common Swedish words are added to its dictionaries ([`SWEDISH_WORDS`]).
//!   The estimate looks at the first [`ESTIMATE_CHARS`] characters (zxcvbn grows faster than
//!   linearly with the length; a passphrase longer than that is long enough).
//!
//! Messages are Swedish and say why a password was refused.

/// Minimum password length in characters.
pub const MIN_LEN: usize = 12;
/// Maximum password length in characters (log-in reads at most this much).
pub const MAX_LEN: usize = 1024;
/// The lowest accepted zxcvbn score (0–4).
pub const MIN_SCORE: u8 = 3;
/// How many characters the guessability estimate looks at.
pub const ESTIMATE_CHARS: usize = 100;

/// Common Swedish words and names in passwords, added to zxcvbn's (English) dictionaries.
pub const SWEDISH_WORDS: &[&str] = &[
    "lösenord",
    "losenord",
    "losen",
    "lösen",
    "hemlig",
    "hemligt",
    "sommar",
    "vinter",
    "hösten",
    "våren",
    "sverige",
    "svenska",
    "dalarna",
    "region",
    "kommun",
    "mora",
    "falun",
    "borlänge",
    "borlange",
    "ludvika",
    "avesta",
    "hedemora",
    "leksand",
    "rättvik",
    "rattvik",
    "orsa",
    "älvdalen",
    "alvdalen",
    "vansbro",
    "gagnef",
    "säter",
    "sater",
    "smedjebacken",
    "malung",
    "sälen",
    "dalahäst",
    "dalahast",
    "hejsan",
    "hej",
    "välkommen",
    "valkommen",
    "kalle",
    "anka",
    "kattis",
    "hunden",
    "katten",
    "älskling",
    "alskling",
    "fotboll",
    "hockey",
    "mamma",
    "pappa",
    "nära",
    "vård",
    "godochnaravard",
    "admin",
    "användare",
    "anvandare",
    "qwerty",
    "asdfgh",
    "zxcvbn",
    "måndag",
    "fredag",
    "januari",
    "december",
];

/// Why a password was refused; `Display` is the Swedish message shown on the form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("Lösenordet måste ha minst {} tecken.", MIN_LEN)]
    TooShort,
    #[error("Lösenordet får ha högst 1 024 tecken.")]
    TooLong,
    #[error("Lösenordet får inte innehålla användarnamnet.")]
    ContainsUsername,
    #[error("Lösenordet får inte bestå av ett enda upprepat tecken.")]
    OneRepeatedCharacter,
    /// `why` says which patterns made it guessable ("det innehåller ett tangentbordsmönster …").
    #[error(
        "Lösenordet är för lätt att gissa: {why}. Välj en längre lösenfras, till exempel tre eller fyra \
         ovanliga ord med bindestreck emellan."
    )]
    Guessable { why: String },
}

crate::error::message_into_string!(PasswordError);

/// Checks the password policy; `Err` says why it was refused.
pub fn check_password(password: &str, username: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_LEN {
        return Err(PasswordError::TooShort);
    }
    if chars > MAX_LEN {
        return Err(PasswordError::TooLong);
    }
    let username = username.trim().to_lowercase();
    if !username.is_empty() && password.to_lowercase().contains(&username) {
        return Err(PasswordError::ContainsUsername);
    }
    let first = password.chars().next().unwrap_or(' ');
    if password.chars().all(|c| c == first) {
        return Err(PasswordError::OneRepeatedCharacter);
    }
    let estimated: String = password.chars().take(ESTIMATE_CHARS).collect();
    let mut inputs: Vec<&str> = SWEDISH_WORDS.to_vec();
    if !username.is_empty() {
        inputs.push(&username);
    }
    let entropy = zxcvbn::zxcvbn(&estimated, &inputs);
    if (entropy.score() as u8) < MIN_SCORE {
        return Err(PasswordError::Guessable { why: guessable_because(entropy.sequence()) });
    }
    Ok(())
}

/// Why a password is easy to guess, from the patterns zxcvbn found in it: "det innehåller …".
fn guessable_because(matches: &[zxcvbn::Match]) -> String {
    use zxcvbn::matching::patterns::MatchPattern;
    let mut reasons: Vec<&str> = Vec::new();
    for m in matches {
        let reason = match &m.pattern {
            MatchPattern::Dictionary(_) => "ett vanligt lösenord, ord eller namn",
            MatchPattern::Spatial(_) => "ett tangentbordsmönster (som qwerty)",
            MatchPattern::Sequence(_) => "en följd av siffror eller bokstäver (som 1234 eller abcd)",
            MatchPattern::Repeat(_) => "upprepningar",
            MatchPattern::Date(_) | MatchPattern::Regex(_) => "ett datum eller årtal",
            MatchPattern::BruteForce => continue,
        };
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    match reasons.as_slice() {
        [] => "det är för kort eller för enkelt".to_string(),
        [one] => format!("det innehåller {one}"),
        [init @ .., last] => format!("det innehåller {} och {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        for (weak, reason) in [
            ("123456789012", "följd"),
            ("password1234", "vanligt lösenord"),
            ("qwertyuiopas", "vanligt lösenord"),
            ("lösenord2024!", "vanligt lösenord"),
            ("sommarsommar12", "upprepningar"),
        ] {
            let e = check_password(weak, "anna").unwrap_err().to_string();
            assert!(e.contains("för lätt att gissa"), "{weak}: {e}");
            assert!(e.contains(reason), "{weak}: {e}");
        }
        assert!(check_password("kort", "anna").unwrap_err().to_string().contains("minst 12 tecken"));
        assert!(check_password(&"x1".repeat(30_000), "anna")
            .unwrap_err()
            .to_string()
            .contains("högst 1 024"));
        assert!(check_password("annaannaanna1", "anna").unwrap_err().to_string().contains("användarnamnet"));
        assert!(check_password("aaaaaaaaaaaaaa", "x").unwrap_err().to_string().contains("upprepat"));
        assert_eq!(check_password("kort", "anna"), Err(PasswordError::TooShort));
        assert_eq!(
            check_password("kort", "anna").unwrap_err().to_string(),
            "Lösenordet måste ha minst 12 tecken."
        );
    }

    #[test]
    fn passphrases_are_accepted() {
        for ok in [
            "Dalahäst-i-Mora-2026",
            "Testlösenord-för-Dalarna-1",
            "Långt-lösenord-2026",
            // The passwords of the demo, the test suites and the browser tests.
            "Dalarna-demo-2026",
            "Kraschtest-lösenord-1",
            "Ett-långt-testlösenord-1",
            "Ett-långt-lösenord-2026",
            "grön kaffekopp vid Siljan",
            &format!("{}-slut", "Ett långt men inte upprepat stycke text ".repeat(25)),
        ] {
            assert_eq!(check_password(ok, "anna"), Ok(()), "{ok}");
        }
        // Exactly 1 024 characters is allowed.
        let long: String = "Kvast-Siljan-97 ".chars().cycle().take(MAX_LEN).collect();
        assert_eq!(check_password(&long, "anna"), Ok(()));
    }
}
