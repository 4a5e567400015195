//! Planning: annual plan, support activities, reporting calendar, regional action plan. (Being built.)
