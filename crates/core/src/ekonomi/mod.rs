//! Financial report (ekonomisk redovisning). (Being built.)
