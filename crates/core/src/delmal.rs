//! The transition's sub-goals (delmål). Which sub-goals a county has, with their names and
//! self-assessment statements, comes from its county profile ([`crate::lansprofil`]).

use serde::{Deserialize, Serialize};

/// One sub-goal. `statement` completes the self-assessment sentence "Vi arbetar för …".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SubGoal {
    /// 1…n, in the profile's order.
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

/// The sub-goals of the built-in county profile (what `gnv init` installs).
pub fn default_subgoals() -> Vec<SubGoal> {
    crate::lansprofil::CountyProfile::builtin().subgoals
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
