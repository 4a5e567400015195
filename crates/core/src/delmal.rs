//! The five sub-goals (delmål) of the shared vision "Nära genom hela livet – gemensamt tillsammans".

use serde::{Deserialize, Serialize};

/// The shared vision of the county strategy.
pub const VISION: &str = "Nära genom hela livet – gemensamt tillsammans";

/// One sub-goal. `statement` completes the self-assessment sentence "Vi arbetar för …".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubGoal {
    /// 1–5.
    pub number: u8,
    pub name: String,
    pub statement: String,
}

impl SubGoal {
    /// The full self-assessment statement: "Vi arbetar för att alla invånare …".
    pub fn self_assessment_sentence(&self) -> String {
        format!("Vi arbetar för {}.", self.statement)
    }
}

/// The five sub-goals as stated in the county strategy (DOMAIN.md §3).
pub fn default_subgoals() -> Vec<SubGoal> {
    [
        (1, "Nära för mig", "att alla invånare i Dalarna ska bli bemötta med respekt samt tilltro och ska uppleva möjligheter till medskapande och delaktighet utifrån sin förmåga och sina behov"),
        (2, "Nära för alla", "en tillgänglig, jämställd och jämlik vård för barn och unga, för dig mitt i livet och för dig som är äldre"),
        (3, "Nära i hela Dalarna", "en likvärdig tillgång till personcentrerad vård i hela länet oavsett var individerna bor med hjälp av nya och utvecklade lösningar som gagnar individerna"),
        (4, "Nära mellan oss", "stärkt samverkan inom och mellan länets kommuner och Region Dalarna som präglas av tillit och prestigelöshet för invånarnas bästa"),
        (5, "Nära till hälsa", "hälsofrämjande och förebyggande arbete i Dalarna utifrån var varje enskild individ befinner sig i livet"),
    ]
    .into_iter()
    .map(|(number, name, statement)| SubGoal {
        number,
        name: name.to_string(),
        statement: statement.to_string(),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_subgoals_numbered_in_order() {
        let goals = default_subgoals();
        assert_eq!(goals.len(), 5);
        assert_eq!(goals.iter().map(|g| g.number).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        assert_eq!(goals[3].name, "Nära mellan oss");
        assert!(goals[0].self_assessment_sentence().starts_with("Vi arbetar för att alla invånare"));
    }
}
